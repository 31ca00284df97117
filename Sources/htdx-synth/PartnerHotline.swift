// `--partner hotline` / `hotline-default-ns`: a bulk XML export from an invented hotline
// system, namespace urn:example:hotline:1. Every value is invented; see PartnerCore.swift.

enum Hotline {
    static let namespace = "urn:example:hotline:1"
    static let exported = "2025-01-31"

    static func gender(_ sex: Sex) -> String {
        switch sex {
        case .female: return "female"
        case .male: return "male"
        case .other: return "other"
        case .unknown: return "unknown"
        }
    }

    static func type(_ kind: Kind) -> String {
        switch kind {
        case .sexual: return "sex"
        case .labour, .domestic: return "labour"
        case .begging: return "begging"
        case .criminal: return "crime"
        case .marriage: return "marriage"
        case .other: return "other"
        }
    }

    static func relation(_ r: Relation) -> String {
        switch r {
        case .intimatePartner: return "partner"
        case .family: return "family"
        case .friend: return "friend"
        case .employer: return "employer"
        case .stranger: return "stranger"
        case .unknown: return "unknown"
        }
    }

    // Call-taker shorthand: angle brackets, ampersands and commas on purpose, so the
    // CDATA sections are exercised. None of these phrases contains "]]>".
    static let opening = [
        "Caller (a neighbour) reported a woman working at <address withheld>, says \"the boss\" keeps her ID & phone.",
        "Anonymous tip: workers sleep in a container behind the warehouse, shifts 6am-10pm, no pay since March.",
        "Caller says the recruiter promised a job abroad & paid the ticket; now owes a \"debt\" of 3,000 <currency unclear>.",
        "Text forwarded by a friend: <she cannot leave the flat>, moved every few weeks.",
        "Victim called herself, spoke quietly, line dropped twice.",
        "Caller reported children begging at a junction, an adult collects the money & drives them away.",
        "Employer holds passports, wages < minimum, overtime unpaid, threats of deportation.",
        "Relative abroad called: brother works on a boat, no contact for 2 months, crew paid \"nothing\".",
        "Caller unsure, 'just a feeling' about the nail salon on <street name withheld>, staff never leave.",
        "Teacher reported a pupil, 15, absent for weeks, family says she is \"married now\".",
    ]
    static let closing = [
        "Follow-up call scheduled.",
        "Passed to outreach team & local police.",
        "Caller did not want to give a name, callback number < 24h only.",
        "Interpreter needed (language: unclear), next shift to call back.",
        "Shelter informed, no bed free until Monday.",
        "No further action, caller withdrew.",
    ]

    static func narrative(_ rng: inout SplitMix64) -> String {
        var text = rng.pick(opening)
        if rng.chance(permille: 650) { text += " " + rng.pick(closing) }
        // Some narratives were pasted from e-mails and keep their line breaks.
        if rng.chance(permille: 60) { text += "\nNote from supervisor: <check duplicate>, caller & victim may be the same person." }
        return text
    }

    struct Entry {
        let received: Day
        let xml: String  // everything inside <case>, with the ref attribute still to add
    }

    static func entry(_ v: Victim, _ p: String, _ rng: inout SplitMix64) -> Entry {
        let received = v.identified
        // Third parties rarely know the age, and some call-takers type two-letter codes.
        let age = rng.chance(permille: 150) ? "" : "<\(p)age>\(v.age)</\(p)age>"
        let citizenship = rng.chance(permille: 120) ? v.origin.code : Countries.a3(v.origin.code)
        let sex: Sex = rng.chance(permille: 40) ? .unknown : v.sex
        var types: [String] = []
        for kind in v.kinds where !types.contains(type(kind)) { types.append(type(kind)) }
        let typeXML = types.map { "<\(p)type>\($0)</\(p)type>" }.joined()

        var s = "    <\(p)victim><\(p)name><\(p)given>\(xmlEscape(v.given))</\(p)given><\(p)family>\(xmlEscape(v.family))</\(p)family></\(p)name>"
        s += "<\(p)gender>\(gender(sex))</\(p)gender>\(age)<\(p)citizenship>\(citizenship)</\(p)citizenship></\(p)victim>\n"
        s += "    <\(p)exploitation country=\"\(Countries.a3(v.exploitationCountry))\">\(typeXML)</\(p)exploitation>\n"
        s += "    <\(p)recruiter relation=\"\(relation(v.relation))\"/>\n"
        s += "    <\(p)narrative><![CDATA[\(narrative(&rng))]]></\(p)narrative>\n"
        return Entry(received: received, xml: s)
    }

    /// `prefixed`: every element as `h:name` with `xmlns:h`; otherwise a default namespace
    /// and bare names. Both put every element in the same namespace URI.
    static func render(records count: Int, seed: UInt64, prefixed: Bool) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let p = prefixed ? "h:" : ""
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let v = Victims.draw(&rng, origins: Victims.standardOrigins)
            entries.append(entry(v, p, &rng))
        }
        entries = entries.enumerated().sorted { ($0.element.received, $0.offset) < ($1.element.received, $1.offset) }.map(\.element)

        let xmlns = prefixed ? "xmlns:h=\"\(namespace)\"" : "xmlns=\"\(namespace)\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<!-- SYNTHETIC sample: every name, date and narrative below is invented. -->\n"
        out += "<\(p)hotlineExport \(xmlns) exported=\"\(exported)\">\n"
        for (i, e) in entries.enumerated() {
            out += "  <\(p)case ref=\"HL-\(pad(i + 1, 6))\" received=\"\(e.received.iso)\">\n"
            out += e.xml
            out += "  </\(p)case>\n"
        }
        out += "</\(p)hotlineExport>\n"
        return Bytes.utf8(out)
    }
}
