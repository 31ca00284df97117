import Foundation
import Ingest
import PolicyFile
import Recode

/// The shipped partner profiles (Policies/partners, copied into the scratch directory by
/// Benchmarks/fuzz.sh), so that fuzzed exports also go through the mapping to canonical records.
public enum PartnerProfiles {
    public static func load(_ name: String) -> PartnerProfile {
        let directory = ProcessInfo.processInfo.environment["HTDX_FUZZ_SCRATCH"] ?? "Policies"
        do { return try ProfileDocument.load(path: "\(directory)/partners/\(name).yaml").profile } catch {
            fatalError("cannot load the profile \(name) from \(directory)/partners: \(error)")
        }
    }
}

/// HTCDS v2's code lists and ISO 3166, without translations from older versions (those are the
/// pipeline's, and no shipped fuzzed profile declares an older standard).
public struct FuzzCodeBook: CodeBook {
    public init() {}
    public func country(_ text: String) -> String? { ISO3166.alpha2(text) }
    public func translate(_ code: String, field: String, from version: String) -> String? { code }
    public func accepts(_ code: String, field: String) -> Bool? {
        guard let f = HTCDS.field(named: field), f.kind == .picklist else { return nil }
        return f.codes.contains(code)
    }
}
