import Export
import PolicyFile

/// The persons seen so far in a run, by their keyed hash (``PersonHash``), never by their names.
///
/// Memory: unlike the rest of pass 1 this grows with the records. Each person costs one entry
/// of a hash table: the 16-byte hash, an 8-byte set of partners, the kept record's ordinal and
/// completeness (40 bytes, in a table Swift keeps between 3/8 and 3/4 full: about 53 to 107
/// bytes per person), freed when pass 1 ends.
struct PersonRegister {
    private struct Entry {
        var partners: UInt64
        var ordinal: Int
        var completeness: Int
    }

    /// Bits of the partner set: a run reads far fewer partners than this.
    static let partnerLimit = 64

    let rule: DuplicatePersons
    private var seen: [PersonHash: Entry] = [:]
    private var partnerIndex: [String: Int] = [:]
    private var partnerNames: [String] = []
    /// keepMostComplete: the ordinals of the records another record of their person displaced.
    private(set) var displaced = Set<Int>()
    var withKey = 0
    var withoutKey = 0
    var notChecked = 0
    var duplicates = 0

    init(rule: DuplicatePersons) {
        self.rule = rule
    }

    /// Notes a record of the person `hash`. Under `reject` it returns false when the person was
    /// seen before (the record is the duplicate); under `keepMostComplete` it keeps the more
    /// complete record, ties to the earlier, notes the other as displaced, and returns true.
    mutating func see(_ hash: PersonHash, partner: String, ordinal: Int, completeness: Int) throws(RunError) -> Bool {
        withKey += 1
        let bit = try partnerBit(partner)
        guard var entry = seen[hash] else {
            seen[hash] = Entry(partners: bit, ordinal: ordinal, completeness: completeness)
            return true
        }
        duplicates += 1
        entry.partners |= bit
        defer { seen[hash] = entry }
        guard rule == .keepMostComplete else { return false }
        if completeness > entry.completeness {
            displaced.insert(entry.ordinal)
            entry.ordinal = ordinal
            entry.completeness = completeness
        } else {
            displaced.insert(ordinal)
        }
        return true
    }

    private mutating func partnerBit(_ partner: String) throws(RunError) -> UInt64 {
        if let i = partnerIndex[partner] { return 1 << UInt64(i) }
        guard partnerNames.count < Self.partnerLimit else {
            throw .configuration("more than \(Self.partnerLimit) partners name a person key; run them in groups of at most \(Self.partnerLimit)")
        }
        partnerIndex[partner] = partnerNames.count
        partnerNames.append(partner)
        return 1 << UInt64(partnerNames.count - 1)
    }

    /// What the report says: the counts, and for each pair of partners the persons both sent.
    func summary() -> Report.Persons {
        var pairs: [Int: Int] = [:]
        let n = partnerNames.count
        for entry in seen.values where entry.partners & (entry.partners - 1) != 0 {
            for a in 0..<n where entry.partners & (1 << UInt64(a)) != 0 {
                for b in (a + 1)..<max(n, a + 1) where entry.partners & (1 << UInt64(b)) != 0 { pairs[a * n + b, default: 0] += 1 }
            }
        }
        let listed = pairs.map { key, count in
            Report.Persons.Pair(partners: [partnerNames[key / n], partnerNames[key % n]].sorted(), persons: count)
        }.sorted { $0.partners.lexicographicallyPrecedes($1.partners) }
        return Report.Persons(rule: rule.rawValue, recordsWithKey: withKey, recordsWithoutKey: withoutKey, recordsNotChecked: notChecked,
                              duplicates: duplicates, partnerPairs: listed)
    }
}
