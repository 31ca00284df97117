import Ingest

/// Canonical fields that name or locate a person, or hold free text that may: they are never
/// published. A policy that gives one of them any role but `identifying` is refused unless it
/// carries an override naming the field and the reason. The policy loader, and later `check`,
/// read this one list.
public enum DirectIdentifiers {
    /// Field → what it is, for messages.
    public static let fields: [String: String] = {
        var list: [String: String] = [
            "prs_Salutation": "a salutation", "prs_FirstName": "a name", "prs_MiddleName": "a name",
            "prs_SecondName": "a name", "prs_Title": "a title", "prs_Birthdate": "a birth date",
            "prs_IdentityNumber": "an identity number", "prs_MailingStreet": "a street address",
            "prs_MailingPostalCode": "a postal code", "prs_MailingCity": "a place of residence",
            "prs_MailingState": "a place of residence",
            "org_ShippingStreet": "a street address", "org_ShippingPostalCode": "a postal code",
            "hte_Street": "a street address", "hte_PostalCode": "a postal code",
            "cas_CaseOwner": "a case owner", "cas_ReferringPrimaryCaseWorker": "a case worker",
            "cas_ReferredPrimaryCaseWorker": "a case worker",
            "vic_LocationOfRecruitment": "a free-text place", "vic_LocationOfExploitation": "a free-text place",
            ExtensionField.partnerReference.rawValue: "a partner's record reference",
        ]
        // Every email, phone, coordinate and free-text field of the standard, whatever its name.
        for field in HTCDS.fields {
            switch field.kind {
            case .email: list[field.name] = "an email address"
            case .phone: list[field.name] = "a phone number"
            case .geolocation: list[field.name] = "coordinates"
            case .longText: list[field.name] = "free text"
            default:
                if field.name.hasSuffix("Latitude") || field.name.hasSuffix("Longitude") { list[field.name] = "coordinates" }
            }
        }
        return list
    }()
}
