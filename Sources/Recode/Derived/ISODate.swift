import Tabular

/// A calendar date read from canonical `yyyy-MM-dd` text: the form every HTCDS date field and
/// `ext_IdentificationDate` take once ingested.
///
/// Reading checks the layout byte by byte and the day against the month (29 February only in leap
/// years), so `2019-02-30` is not a date. Nothing is allocated.
///
/// ```swift
/// ISODate("2016-03-01")?.year                                   // 2016
/// ISODate.wholeYears(from: ISODate("2000-02-29")!, to: ISODate("2001-02-28")!)   // 0
/// ```
public struct ISODate: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date `text` holds, or nil when it is not exactly `yyyy-MM-dd` naming a real day.
    public init?(_ text: String) {
        guard let date = text.utf8.withContiguousStorageIfAvailable({ ISODate.parse($0) }) ?? ISODate.parse(Array(text.utf8)) else {
            return nil
        }
        self = date
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static func parse(_ u: some RandomAccessCollection<UInt8>) -> ISODate? {
        guard u.count == 10 else { return nil }
        var year = 0, month = 0, day = 0
        for (i, byte) in u.enumerated() {
            if i == 4 || i == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard (48...57).contains(byte) else { return nil }
            let digit = Int(byte - 48)
            if i < 4 { year = year * 10 + digit } else if i < 7 { month = month * 10 + digit } else { day = day * 10 + digit }
        }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        return ISODate(year: year, month: month, day: day)
    }

    /// The year of `text` when it is a canonical date, else nil: `yearOfRegistration`.
    public static func year(of text: String) -> Int? { ISODate(text)?.year }

    /// Whole years from `birth` to `date`: the age on `date` of someone born on `birth`. Negative
    /// when `date` is before `birth`.
    ///
    /// A year is counted on the birthday itself, not the day before. Someone born on 29 February
    /// turns a year older on 1 March in common years (28 February is still the year before), the
    /// rule htdx's profiles already use to derive `ext_AgeAtIdentification`.
    public static func wholeYears(from birth: ISODate, to date: ISODate) -> Int {
        var years = date.year - birth.year
        if (date.month, date.day) < (birth.month, birth.day) { years -= 1 }
        return years
    }
}
