/// The 63 columns of CTDC's global k-anonymised dataset, each as a ``DerivedColumn`` over htdx's
/// canonical records (HTCDS 2.0 fields and `ext_` fields).
///
/// `Policies/ctdc/README.md` gives the same mapping column by column, with the reasons; the
/// crosswalk tables are the CSV files beside it, parsed by the policy loader and passed in here.
/// Columns the standard has no source for are ``DerivedColumn/Kind/unsourced``: published empty.
///
/// ```swift
/// let columns = try CTDCLayout.columns(crosswalks: crosswalks)       // 63, in the release's order
/// let bound = try columns.map { try $0.bind(to: fieldIndex) }
/// ```
public enum CTDCLayout {
    /// The release's columns, in its order.
    public static let columnNames: [String] = [
        "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
        "majorityEntry", "citizenship",
        "meansOfControlDebtBondage", "meansOfControlTakesEarnings", "meansOfControlRestrictsFinancialAccess",
        "meansOfControlThreats", "meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse",
        "meansOfControlSexualAbuse", "meansOfControlFalsePromises", "meansOfControlPsychoactiveSubstances",
        "meansOfControlRestrictsMovement", "meansOfControlRestrictsMedicalCare", "meansOfControlExcessiveWorkingHours",
        "meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement", "meansOfControlWithholdsNecessities",
        "meansOfControlWithholdsDocuments", "meansOfControlOther", "meansOfControlNotSpecified",
        "meansOfControlConcatenated",
        "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage", "isForcedMilitary",
        "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated",
        "typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging", "typeOfLabourConstruction",
        "typeOfLabourDomesticWork", "typeOfLabourHospitality", "typeOfLabourIllicitActivities", "typeOfLabourManufacturing",
        "typeOfLabourMiningOrDrilling", "typeOfLabourPeddling", "typeOfLabourTransportation", "typeOfLabourOther",
        "typeOfLabourNotSpecified", "typeOfLabourConcatenated",
        "typeOfSexProstitution", "typeOfSexPornography", "typeOfSexRemoteInteractiveServices",
        "typeOfSexPrivateSexualServices", "typeOfSexConcatenated",
        "isAbduction", "RecruiterRelationship", "CountryOfExploitation",
        "recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
        "recruiterRelationOther", "recruiterRelationUnknown",
    ]

    /// The crosswalk tables of `Policies/ctdc/`, parsed.
    public struct Crosswalks: Sendable {
        /// `gender.csv`: `prs_Gender` → `gender`.
        public var gender: Crosswalk
        /// `datasource.csv`: `ext_DataSource` → `Datasource`.
        public var dataSource: Crosswalk
        /// `means-of-control.csv`: `vic_MethodsOfControl` → `meansOfControl…`.
        public var meansOfControl: MultiSelectCrosswalk
        /// `exploitation.csv`: `vic_TypeOfExploitation` → `is…`.
        public var exploitation: MultiSelectCrosswalk
        /// `labour.csv`: `vic_ForcedLabourIndustry` and `vic_TypeOfExploitation` → `typeOfLabour…`.
        public var labour: MultiSelectCrosswalk
        /// `sexual-exploitation.csv`: `vic_TypeOfSexExploitation` → `typeOfSex…`.
        public var sexualExploitation: MultiSelectCrosswalk
        /// `recruiter-relation.csv`: `vic_RelationshipToTrafficker` → `recruiterRelation…`.
        public var recruiterRelation: MultiSelectCrosswalk

        public init(gender: Crosswalk, dataSource: Crosswalk, meansOfControl: MultiSelectCrosswalk,
                    exploitation: MultiSelectCrosswalk, labour: MultiSelectCrosswalk,
                    sexualExploitation: MultiSelectCrosswalk, recruiterRelation: MultiSelectCrosswalk) {
            self.gender = gender
            self.dataSource = dataSource
            self.meansOfControl = meansOfControl
            self.exploitation = exploitation
            self.labour = labour
            self.sexualExploitation = sexualExploitation
            self.recruiterRelation = recruiterRelation
        }

        var multiSelect: [MultiSelectCrosswalk] { [meansOfControl, exploitation, labour, sexualExploitation, recruiterRelation] }
    }

    /// The fields the layout reads besides those of the crosswalks.
    public static let registrationDateField = "ext_IdentificationDate"
    public static let citizenshipField = "prs_Citizenship"
    public static let countryOfExploitationField = "ext_CountryOfExploitation"
    /// `vic_AgeWhenTrafficked`, "age when first trafficked": the age on entering the trafficking
    /// process, CTDC's `majorityEntry`.
    public static let ageAtEntry = AgeAtRegistration.reported("vic_AgeWhenTrafficked")

    /// Every column of the release, in its order.
    ///
    /// - Parameters:
    ///   - countries: alpha-2 (CTDC to 2023) or alpha-3 (from 2024) for `citizenship` and `CountryOfExploitation`.
    ///   - age: the age at registration behind `ageBroad` and `majorityStatus`.
    ///   - ageBands: the bands of `ageBroad`.
    public static func columns(crosswalks: Crosswalks, countries: CountryForm = .alpha2,
                               age: AgeAtRegistration = .ctdc, ageBands: AgeBand = .ctdc) throws(DerivedColumnError) -> [DerivedColumn] {
        for crosswalk in crosswalks.multiSelect {
            if let stray = crosswalk.columns.first(where: { !columnNames.contains($0) }) {
                throw DerivedColumnError("\(crosswalk.name): \(stray) is not a column of the CTDC release")
            }
        }
        for crosswalk in [crosswalks.gender, crosswalks.dataSource] where !columnNames.contains(crosswalk.column) {
            throw DerivedColumnError("\(crosswalk.name): \(crosswalk.column) is not a column of the CTDC release")
        }
        var out: [DerivedColumn] = []
        for name in columnNames {
            let kind: DerivedColumn.Kind
            switch name {
            case "yearOfRegistration": kind = .year(field: registrationDateField)
            case crosswalks.dataSource.column: kind = .category(crosswalks.dataSource)
            case crosswalks.gender.column: kind = .category(crosswalks.gender)
            case "ageBroad": kind = .ageBand(age, ageBands)
            case "majorityStatus": kind = .majorityStatus(age)
            case "majorityEntry": kind = .majorityStatus(ageAtEntry)
            case "majorityStatusAtExploit", "isAbduction": kind = .unsourced
            case "citizenship": kind = .country(field: citizenshipField, countries)
            case "CountryOfExploitation": kind = .country(field: countryOfExploitationField, countries)
            case "meansOfControlConcatenated": kind = .concatenation(crosswalks.meansOfControl)
            case "typeOfExploitConcatenated": kind = .concatenation(crosswalks.exploitation)
            case "typeOfLabourConcatenated": kind = .concatenation(crosswalks.labour)
            case "typeOfSexConcatenated": kind = .concatenation(crosswalks.sexualExploitation)
            case "RecruiterRelationship": kind = .concatenation(crosswalks.recruiterRelation, separator: "; ")
            default:
                guard let crosswalk = crosswalks.multiSelect.first(where: { $0.index(ofColumn: name) != nil }) else {
                    throw DerivedColumnError("no crosswalk has a row for the CTDC column \(name)")
                }
                kind = .indicator(crosswalk, column: name)
            }
            out.append(try DerivedColumn(name: name, kind: kind))
        }
        return out
    }
}
