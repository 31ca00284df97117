import Ingest
import PolicyFile
import Tabular

/// Turns a quasi-identifier's bytes into its raw code. A class, so that the per-value closures of
/// both passes capture one reference instead of copying the pass's state for every value.
final class QuasiIdentifierCoder {
    var dictionaries: [ValueDictionary]
    /// The code of each quasi-identifier's `multiple` value, if the policy names one.
    let multipleCodes: [UInt32?]
    /// Rare-value folding of quasi-identifier `q`: raw code → code after folding. Set after pass 1.
    var folds: [Int: [UInt32]] = [:]

    init(_ quasiIdentifiers: [Policy.Attribute]) {
        dictionaries = quasiIdentifiers.map { ValueDictionary(values: $0.hierarchy?.rawValues ?? []) }
        multipleCodes = quasiIdentifiers.map { qi in
            qi.multiple.flatMap { m in qi.hierarchy?.rawValues.firstIndex(of: m).map(UInt32.init) }
        }
    }

    func code(_ q: Int, _ text: String) -> UInt32? {
        var copy = text
        return copy.withUTF8 { code(q, $0) }
    }

    /// The code of quasi-identifier `q` in the current record (empty when the input lacks the
    /// column), or nil when its hierarchy does not list the value. Both passes code values through here.
    func code<S: RecordStream & ~Copyable>(_ q: Int, column: Int?, in stream: borrowing S) -> UInt32? {
        guard let column else { return code(q, UnsafeBufferPointer(start: nil, count: 0)) }
        return stream.withValue(column) { code(q, $0) }
    }

    /// A set of several codes counts as the policy's `multiple` value, where it names one.
    @inline(__always)
    func code(_ q: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var found = dictionaries[q].code(of: bytes)
        if found == nil, let multiple = multipleCodes[q], bytes.contains(UInt8(ascii: ";")) { found = multiple }
        guard let code = found else { return nil }
        if !folds.isEmpty, let map = folds[q] { return map[Int(code)] }
        return code
    }
}
