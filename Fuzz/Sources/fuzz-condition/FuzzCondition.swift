import FuzzDriver
import Anonymize
import PolicyFile
import Recode

// A condition that parses must print (`text`, as codebooks show it) to a condition that parses
// back to itself, and must evaluate against any record without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let condition: Condition
    do { condition = try ConditionParser.parse(text) } catch { _ = error.message; return 0 }
    let printed = condition.text
    guard let again = try? ConditionParser.parse(printed) else {
        fatalError("the printed condition does not parse: \(printed)")
    }
    precondition(again == condition, "the printed condition parses to another condition: \(printed)")
    _ = condition.fields
    _ = condition.comparedValues
    // Three records: every field missing, every field "18", every field its own name.
    _ = condition.holds { _ in "" }
    _ = condition.holds { _ in "18" }
    _ = condition.holds { $0 }
    return 0
}

@_cdecl("fuzz_condition_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    htdx_fuzz_run(argc, argv) { data, count in data.map { fuzz($0, count) } ?? 0 }
}
