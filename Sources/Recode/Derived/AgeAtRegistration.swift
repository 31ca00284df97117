/// A person's age in whole years when they were identified or registered: from a birth date and
/// the registration date when both are known, else from an age as reported.
///
/// The fields are named, not read: ``age(birthDate:registrationDate:reportedAge:)`` takes the
/// canonical values (empty when missing), and ``DerivedColumn`` reads them from a record.
///
/// - Both dates known: whole years from one to the other, counted on the birthday itself
///   (``ISODate/wholeYears(from:to:)``; 29 February birthdays count from 1 March in common years).
/// - Otherwise the reported age, a whole number of years.
/// - Neither: unknown (nil), published empty, or `Unknown` where a column has that word.
///
/// An impossible age is a **rejection**, never a silent empty: a registration before the birth
/// date, a negative reported age, or one above ``maximumAge`` (120 by default; the oldest
/// verified human lived to 122). So are a date that is not `yyyy-MM-dd` and a reported age that is
/// not a whole number. The record goes to the rejects file, where a data officer sees it; blanking
/// it would hide a data-entry error inside the published "unknown" ages.
///
/// ```swift
/// let rule = AgeAtRegistration.ctdc
/// rule.age(birthDate: "2000-06-15", registrationDate: "2018-06-14", reportedAge: "")  // .success(17)
/// rule.age(birthDate: "", registrationDate: "2018-06-14", reportedAge: "30")          // .success(30)
/// rule.age(birthDate: "", registrationDate: "", reportedAge: "")                      // .success(nil)
/// ```
public struct AgeAtRegistration: Sendable, Equatable {
    /// Field holding the birth date (`prs_Birthdate`), or nil.
    public var birthDate: String?
    /// Field holding the date of identification or registration (`ext_IdentificationDate`), or nil.
    public var registrationDate: String?
    /// Field holding an age in years, used when the two dates do not both hold a value
    /// (`ext_ReportedAge`, or an age field such as `vic_AgeWhenTrafficked` on its own), or nil.
    public var reportedAge: String?
    /// The oldest age accepted; anything above it rejects the record.
    public var maximumAge: Int

    /// What went wrong, for ``DerivedColumnRejection``; no case holds a record's value.
    public enum Problem: Error, Sendable, Equatable {
        case notADate(field: String)
        case notWholeYears(field: String)
        case registrationBeforeBirth
        case outOfRange(field: String)
    }

    public init(birthDate: String? = nil, registrationDate: String? = nil, reportedAge: String? = nil, maximumAge: Int = 120) {
        self.birthDate = birthDate
        self.registrationDate = registrationDate
        self.reportedAge = reportedAge
        self.maximumAge = maximumAge
    }

    /// `ageBroad` and `majorityStatus`: `prs_Birthdate` to `ext_IdentificationDate`, else `ext_ReportedAge`.
    public static let ctdc = AgeAtRegistration(
        birthDate: "prs_Birthdate", registrationDate: "ext_IdentificationDate", reportedAge: "ext_ReportedAge")

    /// An age read from one field alone, such as `vic_AgeWhenTrafficked`.
    public static func reported(_ field: String, maximumAge: Int = 120) -> AgeAtRegistration {
        AgeAtRegistration(reportedAge: field, maximumAge: maximumAge)
    }

    /// The fields read, in the order birth date, registration date, reported age.
    public var fields: [String] { [birthDate, registrationDate, reportedAge].compactMap { $0 } }

    /// The age from canonical values; an empty value is a missing one. Values of fields this rule
    /// does not name are ignored (pass "").
    public func age(birthDate birth: String, registrationDate registered: String, reportedAge reported: String) -> Result<Int?, Problem> {
        var birthDay: ISODate?
        var registrationDay: ISODate?
        if let field = self.birthDate, !birth.isEmpty {
            guard let d = ISODate(birth) else { return .failure(.notADate(field: field)) }
            birthDay = d
        }
        if let field = self.registrationDate, !registered.isEmpty {
            guard let d = ISODate(registered) else { return .failure(.notADate(field: field)) }
            registrationDay = d
        }
        if let birthDay, let registrationDay {
            let years = ISODate.wholeYears(from: birthDay, to: registrationDay)
            guard years >= 0 else { return .failure(.registrationBeforeBirth) }
            guard years <= maximumAge else { return .failure(.outOfRange(field: self.birthDate ?? "")) }
            return .success(years)
        }
        guard let field = reportedAge, !reported.isEmpty else { return .success(nil) }
        guard let years = Self.wholeNumber(reported) else { return .failure(.notWholeYears(field: field)) }
        guard (0...maximumAge).contains(years) else { return .failure(.outOfRange(field: field)) }
        return .success(years)
    }

    /// `[-]digits`, at most nine digits, else nil.
    static func wholeNumber(_ text: String) -> Int? {
        var value = 0, digits = 0, negative = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") && digits == 0 && !negative { negative = true; continue }
            guard (48...57).contains(byte), digits < 9 else { return nil }
            value = value * 10 + Int(byte - 48)
            digits += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// Why a record was rejected, as a stable phrase (no values), and how to fix it.
    func explain(_ problem: Problem) -> (field: String, reason: String, fix: String) {
        switch problem {
        case .notADate(let field):
            return (field, "not a date yyyy-MM-dd", "give \(field) a format in the partner profile, or correct the record")
        case .notWholeYears(let field):
            return (field, "not a whole number of years", "type \(field) as integer in the partner profile, or correct the record")
        case .registrationBeforeBirth:
            return (birthDate ?? "", "after \(registrationDate ?? "")", "correct the birth or registration date in the partner's record")
        case .outOfRange(let field) where field == birthDate:
            return (field, "more than \(maximumAge) years before \(registrationDate ?? "")",
                    "correct the birth or registration date in the partner's record")
        case .outOfRange(let field):
            return (field, "below 0 or over \(maximumAge) years", "correct the age in the partner's record")
        }
    }
}
