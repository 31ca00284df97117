import FuzzDriver
import FuzzSupport
import PolicyFile

// Each input is loaded as a policy and as a partner profile. The scratch directory holds copies of
// Policies/hierarchies and Policies/htcds (Benchmarks/fuzz.sh puts them there), so that the seed
// policies' hierarchy and crosswalk files resolve and loading goes past them.
let scratch = ScratchFile(name: "input.yaml")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    scratch.write(start, count)
    do {
        let document = try PolicyDocument.load(path: scratch.path)
        _ = document.policy.attributes.count
    } catch {
        _ = error.description
    }
    do {
        let document = try ProfileDocument.load(path: scratch.path)
        _ = document.profile.fields.count
    } catch {
        _ = error.description
    }
    return 0
}

@_cdecl("fuzz_yaml_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    htdx_fuzz_run(argc, argv) { data, count in data.map { fuzz($0, count) } ?? 0 }
}
