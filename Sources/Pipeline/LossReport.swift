import Foundation

/// Where the records of a run went before anonymisation, in words: how many were read, rejected
/// (by reason) and excluded (by rule). Reasons name fields and causes, never values, as the
/// rejects file's reasons do.
struct LossReport {
    var read: Int
    var rejected: Int
    var excluded: Int
    /// Reason → records, as the report counts them.
    var reasons: [String: Int]
    /// Filter name → records, in the policy's order.
    var exclusions: [(name: String, records: Int)]
    /// Where the rejected records are listed, when a rejects file was written.
    var rejectsPath: String?
    /// How many reasons a message lists; the report and the rejects file have them all.
    static let shownReasons = 5

    var left: Int { read - rejected - excluded }

    /// The most frequent reasons first, ties by name, so that messages are the same every run.
    var topReasons: [(reason: String, records: Int)] {
        reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.shownReasons).map { ($0.key, $0.value) }
    }

    /// "1,297 records read: 1,297 rejected (top reasons: 780 prs_Birthdate: not a date in MM/dd/yyyy; …),
    /// 0 excluded, 0 left for anonymisation."
    var breakdown: String {
        var text = "\(Self.number(read)) record\(read == 1 ? "" : "s") read: \(Self.number(rejected)) rejected"
        if rejected > 0 {
            let top = topReasons
            text += " (\(top.count < reasons.count ? "top reasons" : "by reason"): "
                + top.map { "\(Self.number($0.records)) \($0.reason)" }.joined(separator: "; ")
                + (top.count < reasons.count ? "; \(reasons.count - top.count) more" : "") + ")"
        }
        text += ", \(Self.number(excluded)) excluded"
        let firing = exclusions.filter { $0.records > 0 }
        if !firing.isEmpty {
            text += " (by rule: " + firing.map { "\(Self.number($0.records)) \($0.name)" }.joined(separator: "; ") + ")"
        }
        text += ", \(Self.number(left)) left for anonymisation."
        if let rejectsPath, rejected > 0 { text += " The rejects file \(rejectsPath) lists each rejected record." }
        return text
    }

    /// What to change, by where the records went: the profile for rejections, the filters for
    /// exclusions. Lowering k is never the fix for records that were lost before anonymisation.
    var advice: String {
        var fixes: [String] = []
        if rejected > 0 {
            fixes.append("check the profile's mapping and formats (or the input's columns) against the export")
        }
        if excluded > 0 { fixes.append("check the policy's exclude rules") }
        return fixes.isEmpty ? "" : fixes.joined(separator: ", and ").prefix(1).uppercased()
            + fixes.joined(separator: ", and ").dropFirst() + "."
    }

    /// 1297 as "1,297": counts in messages are read by people.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f %%", share * 100)
    }
}

extension LossReport {
    /// Why a run stopped with fewer than k records left after rejections and exclusions.
    func tooFewLeft(k: Int) -> String {
        "k = \(k) cannot be met: only \(Self.number(left)) record\(left == 1 ? "" : "s") entered anonymisation. "
            + breakdown + " " + advice + " Lowering k would not bring the lost records back. Nothing was published."
    }

    /// Why a run stopped for rejecting more than `maxRejectedShare` of what it read.
    func tooManyRejected(maxShare: Double) -> String {
        "\(Self.number(rejected)) of \(Self.number(read)) records (\(Self.percent(Double(rejected) / Double(max(read, 1))))) "
            + "were rejected, more than maxRejectedShare \(maxShare) allows. " + breakdown + " " + advice
            + " If these losses are expected, raise maxRejectedShare in the job or the policy. Nothing was published."
    }

    /// Why a run stopped for a profile's date format that reads day and month the wrong way round.
    static func dateSwap(_ columns: [DateSwapCheck.Column], losses: LossReport) -> String {
        columns.map(\.message).joined(separator: "; ") + ". With this format the dates that did parse would be "
            + "published with day and month exchanged. " + losses.breakdown + " Nothing was published."
    }
}
