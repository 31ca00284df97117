/// Per-victim facts a publishing portal needs that HTCDS v2 does not carry as fields of their own.
/// They are documented in the README and share the `ext_` prefix, so that no HTCDS name is reused.
public enum ExtensionField: String, CaseIterable, Sendable {
    /// HTCDS has the country of exploitation only as `hte_Country` on an Exploitation event.
    case countryOfExploitation = "ext_CountryOfExploitation"
    /// The date the person was identified or registered as a possible victim.
    case identificationDate = "ext_IdentificationDate"
    /// An age in years as reported, where no birth date is known.
    case reportedAge = "ext_ReportedAge"
    /// Whole years from `prs_Birthdate` to `ext_IdentificationDate`, or the reported age.
    case ageAtIdentification = "ext_AgeAtIdentification"
    /// Where the record came from: `CaseManagement` or `Hotline`.
    case dataSource = "ext_DataSource"
    /// The partner's own reference for the record; identifying by nature.
    case partnerReference = "ext_PartnerReference"

    public var meaning: String {
        switch self {
        case .countryOfExploitation: return "ISO 3166 alpha-2 country where the exploitation took place"
        case .identificationDate: return "date of identification or registration, yyyy-MM-dd"
        case .reportedAge: return "age in years as reported, where no birth date is known"
        case .ageAtIdentification: return "age in whole years at identification (derived)"
        case .dataSource: return "CaseManagement or Hotline"
        case .partnerReference: return "the partner's reference for the record (identifying)"
        }
    }
}
