import Ingest
import PolicyFile
import Tabular

/// Under `duplicatePersons: keepMostComplete`, a read of every input before pass 1 that finds,
/// for each person, the record to keep: the first record of a person cannot be counted or
/// rejected until every later one has been compared with it. It reads only the person key and
/// which published fields hold a value, and decides exactly as pass 1 would: records the reader
/// rejects and repeated partner references are left out first, with the same ordinals.
struct PersonScan: RecordConsumer {
    let inputs: [RunInput]
    var check: PersonCheck
    private var ordinal = 0
    private var references = ReferenceRegister()

    init(inputs: [RunInput], check: PersonCheck) {
        self.inputs = inputs
        self.check = check
    }

    mutating func consume<S: RecordStream & ~Copyable>(_ stream: inout S, input: Int) throws(RunError) {
        let source = inputs[input]
        let matcher = check.matcher(input: source, columns: stream.columns)
        let referenceField = source.referenceField
        while try stream.next() {
            ordinal += 1
            guard stream.rejection == nil else { continue }
            if referenceField != nil {
                let reference = stream.reference
                if !reference.isEmpty && !references.insert(partner: source.partner, reference: reference) { continue }
            }
            _ = try check.decide(stream, matcher: matcher, partner: source.partner, ordinal: ordinal)
        }
    }
}

extension AnonymizeRun {
    /// The person check of the run, or nil when no profile names a person key. Under
    /// keepMostComplete the inputs are read once here, before pass 1.
    func personCheck(_ inputs: [RunInput], _ document: PolicyDocument, derived: DerivedColumns?,
                     keys: PseudonymKeys?) throws(RunError) -> PersonCheck? {
        guard let keys, inputs.contains(where: { if case .profiled(let p) = $0.kind { p.personKey != nil } else { false } }) else {
            return nil
        }
        let check = PersonCheck(rule: document.policy.duplicatePersons, keys: keys, policy: document.policy,
                                publishedNames: document.layout.columns)
        guard document.policy.duplicatePersons == .keepMostComplete else { return check }
        var scan = PersonScan(inputs: inputs, check: check)
        for (i, input) in inputs.enumerated() {
            try input.feed(into: &scan, index: i, delimiter: document.delimiter, codeBook: codeBook, derived: derived)
        }
        return scan.check.decidedByScan()
    }
}
