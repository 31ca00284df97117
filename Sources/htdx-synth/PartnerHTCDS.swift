// `--partner htcds-template`, `htcds-template-v1` and `xform`: samples in the IOM Human
// Trafficking Case Data Standard (HTCDS) layouts. Every value is invented; see
// PartnerCore.swift. Field names, the template header and the code lists come from the
// HTCDS reference files (CC BY 4.0, IOM): the v2 Excel template header, the v1.0/v2.0
// field standards, and the v2 XLSForm/XForm.

/// HTCDS picklist codes ("Value Names"), in the order the field standard lists them.
/// Multi-select values are written in this order, as Salesforce and ODK both do.
enum HTCDSCodes {
    static let gender = ["Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"]
    // v2.0 only: neither field exists in the v1.0 standard.
    static let traffickingStatus = ["PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"]
    static let decisionMakingOrg = ["Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other"]
    static let methodOfRecruitment = [
        "AtAPlaceOfBusiness", "AtAnEducationalInstitution", "AtWork", "ThroughOnlineSocialNetworks",
        "ThroughAnOnlineAdvertisement", "ThroughATelevisionAdvert", "ThroughANewspaperAdvert",
        "ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "Other",
    ]
    static let methodsOfControl = [
        "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage", "FalsePromises",
        "PhysicalAbuse", "SexualAbuse", "TakesEarnings", "RestrictsFinancialAccess", "RestrictsMedicalCare",
        "WithholdsNecessities", "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
        "WithholdsDocuments", "Other",
    ]
    static let typeOfExploitation = [
        "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
        "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption", "Surrogacy", "Other",
    ]
    static let forcedLabourIndustry = [
        "A_AgricultureForestryAndFishing", "B_MiningAndQuarrying", "C_Manufacturing",
        "D_ElectricityGasSteamAndAirConditioningSupply", "E_WaterSupplySewerageWasteManagement", "F_Construction",
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles", "H_TransportationAndStorage",
        "I_AccommodationAndFoodServiceActivities", "J_InformationAndCommunication",
        "K_FinancialAndInsuranceActivities", "L_RealEstateActivities", "M_ProfessionalScientificAndTechnicalActivities",
        "N_AdministrativeAndSupportServiceActivities", "O_PublicAdministrationAndDefence", "P_Education",
        "Q_HumanHealthAndSocialWorkActivities", "R_ArtsEntertainmentAndRecreation", "S_OtherServiceActivities",
        "T_ActivitiesOfHouseholdsAsEmployers", "U_ActivitiesOfExtraterritorialOrganizations",
    ]
    static let typeOfSexExploitation = ["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"]
    static let caseStatus = ["Active", "FollowUp", "Closed", "ClosedReferred"]
    static let referralReason = ["AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"]

    /// Selected codes in code-list order, without duplicates.
    static func ordered(_ selected: [String], by list: [String]) -> [String] {
        for code in selected { precondition(list.contains(code), "htdx-synth: \(code) is not an HTCDS code") }
        return list.filter(selected.contains)
    }
}

/// One invented case in HTCDS terms, shared by the Excel template and the XForm submissions.
struct HTCDSCase {
    var identified: Day
    var caseOwner = "", salutation = "", first = "", second = ""
    var consent = true
    var birthdate = "", gender = ""
    var citizenship: [String] = []
    var title = "", email = "", homePhone = "", mobilePhone = ""
    var city = "", country = "", state = "", street = "", postalCode = ""
    var traffickingStatus = "", decisionMakingOrg = ""
    var recruitment: [String] = []
    var locationOfRecruitment = ""
    var controls: [String] = []
    var exploitation: [String] = []
    var industries: [String] = []
    var sexTypes: [String] = []
    var locationOfExploitation = ""
    var status = ""
    var referringOrg = "", incomingDate = "", referringWorker = "", incomingReason = "", incomingDetails = ""
    var referredOrg = "", referredWorker = "", outgoingReason = "", outgoingDate = "", outgoingDetails = ""
    var closureReason = ""

    init(identified: Day) { self.identified = identified }
}

enum HTCDSMapping {
    static func control(_ c: Control) -> String {
        switch c {
        case .debt: return "DebtBondage"
        case .threats: return "PhysicalThreats"
        case .violence: return "PhysicalAbuse"
        case .documents: return "WithholdsDocuments"
        case .wages: return "TakesEarnings"
        case .isolation: return "PsychologicalAbuse"
        case .drugs: return "PsychoactiveSubstance"
        case .family: return "ThreatensChildrenFamily"
        case .promises: return "FalsePromises"
        case .hours: return "ExcessiveWorkingHours"
        case .deportation: return "ThreatsLawEnforcement"
        case .sexualAbuse: return "SexualAbuse"
        case .money: return "RestrictsFinancialAccess"
        case .medical: return "RestrictsMedicalCare"
        case .food: return "WithholdsNecessities"
        }
    }

    static func industry(_ s: Sector) -> String {
        switch s {
        case .agriculture, .fishing: return "A_AgricultureForestryAndFishing"
        case .mining: return "B_MiningAndQuarrying"
        case .manufacturing: return "C_Manufacturing"
        case .construction: return "F_Construction"
        case .hospitality: return "I_AccommodationAndFoodServiceActivities"
        case .domesticWork: return "T_ActivitiesOfHouseholdsAsEmployers"
        }
    }

    static func recruitment(_ r: Relation, _ rng: inout SplitMix64) -> String {
        switch r {
        case .family: return "ThroughFamilyOrFamilyEvents"
        case .friend: return "ThroughFriendsOrSocialEvents"
        case .intimatePartner: return rng.pick([("ThroughOnlineSocialNetworks", 3), ("ThroughFriendsOrSocialEvents", 2)])
        case .employer:
            return rng.pick([("AtWork", 4), ("AtAPlaceOfBusiness", 3), ("ThroughAnOnlineAdvertisement", 2), ("ThroughANewspaperAdvert", 1)])
        case .stranger:
            return rng.pick([("ThroughAnOnlineAdvertisement", 4), ("ThroughOnlineSocialNetworks", 4), ("AtAPlaceOfBusiness", 2),
                             ("AtAnEducationalInstitution", 1), ("ThroughATelevisionAdvert", 1)])
        case .unknown: return rng.chance(permille: 300) ? "Other" : ""
        }
    }

    static let incomingDetails = [
        "Referred after a joint inspection, client \"very tired\", needs interpreter.",
        "Arrived with a friend, no ID; phone number on file is the friend's.",
        "Transfer from partner shelter, 3 bags of belongings, medical file to follow.",
        "Police referral, statement taken, client agreed to contact with NGO.",
        "Self-referral through hotline, call-back arranged, safe hours 9-11 only.",
        "Outreach contact at a bus station; accepted a leaflet, came in two days later.",
        "Joint referral (outreach & legal aid), marked <urgent> by the referrer.",
    ]
    static let outgoingDetails = [
        "Transferred for long-term accommodation.",
        "Moved to another region, new case worker informed, file sent by courier.",
        "Needs specialist trauma counselling not offered here.",
        "Return assistance arranged with partner in country of origin.",
    ]
    static let closureReasons = [
        "Returned home voluntarily.",
        "Lost contact after three attempts.",
        "Support plan completed, no further needs.",
        "Client withdrew consent.",
        "Referred to partner organisation, case closed here.",
    ]

    static func details(_ list: [String], _ rng: inout SplitMix64) -> String {
        // A few are typed as lists inside one cell (Excel keeps a bare LF there).
        if rng.chance(permille: 60) {
            return "Logistics:\n- pickup at " + pad(8 + rng.below(9), 2) + ":00\n- interpreter booked, \"same as last time\""
        }
        return rng.pick(list)
    }

    static func make(_ v: Victim, _ rng: inout SplitMix64) -> HTCDSCase {
        var c = HTCDSCase(identified: v.identified)
        c.caseOwner = rng.pick(Invented.caseWorkers)
        switch v.sex {
        case .female: c.salutation = rng.pick([("Ms.", 6), ("Mrs.", 1), ("", 3)])
        case .male: c.salutation = rng.pick([("Mr.", 6), ("", 4)])
        case .other: c.salutation = rng.pick([("Mx.", 1), ("", 1)])
        case .unknown: c.salutation = ""
        }
        c.first = v.given
        c.second = v.family
        c.consent = !rng.chance(permille: 70)
        c.birthdate = rng.chance(permille: 60) ? "" : v.birth.iso
        switch v.sex {
        case .female: c.gender = rng.chance(permille: 20) ? "TransgenderFeminine" : "Feminine"
        case .male: c.gender = rng.chance(permille: 10) ? "TransgenderMasculine" : "Masculine"
        case .other: c.gender = "NonConforming"
        case .unknown: c.gender = "NonSpecifiedUnknown"
        }
        if rng.chance(permille: 20) { c.gender = "" }

        if !rng.chance(permille: 20) {
            c.citizenship = [v.origin.code]
            // Dual citizenship is rare but is why the field is a multi-select.
            if rng.chance(permille: 50) {
                let second = rng.pick(["RU", "RO", "US", "ES", "IT", "GB", "TR"])
                if second != v.origin.code { c.citizenship.append(second) }
            }
        }
        if rng.chance(permille: 30) { c.title = rng.pick(["Domestic worker", "Farm hand", "Waitress", "Student"]) }
        if rng.chance(permille: 250) { c.email = Invented.email(given: v.given, family: v.family, &rng) }
        if rng.chance(permille: 100) { c.homePhone = Invented.phone(&rng) }
        if rng.chance(permille: 600) { c.mobilePhone = Invented.phone(&rng) }
        if rng.chance(permille: 500) {
            // The current (safe) address: in the country where the case is handled.
            c.country = v.exploitationCountry
            c.city = Countries.city(v.exploitationCountry, &rng)
            c.street = Invented.street(&rng)
            c.postalCode = pad(rng.below(100_000), 5)
            if rng.chance(permille: 150) { c.state = rng.pick(["North", "Central", "Coastal", "Eastern Province"]) }
        }

        c.traffickingStatus = rng.pick([("PossibleVictimOfTrafficking", 45), ("ActualVictimOfTrafficking", 45), ("NotAVictimOfTrafficking", 10)])
        switch c.traffickingStatus {
        case "ActualVictimOfTrafficking":
            c.decisionMakingOrg = rng.pick([("Police", 40), ("NGO", 20), ("CourtOrProsecution", 15), ("NonPoliceGovernmentalOrganization", 20), ("Other", 5)])
        case "NotAVictimOfTrafficking":
            c.decisionMakingOrg = rng.pick([("Police", 1), ("NGO", 1)])
        default:
            c.decisionMakingOrg = rng.chance(permille: 250) ? "NGO" : ""
        }

        let firstMethod = recruitment(v.relation, &rng)
        var methods = firstMethod.isEmpty ? [] : [firstMethod]
        if !methods.isEmpty && rng.chance(permille: 150) { methods.append(recruitment(.stranger, &rng)) }
        c.recruitment = HTCDSCodes.ordered(methods, by: HTCDSCodes.methodOfRecruitment)
        if rng.chance(permille: 500) { c.locationOfRecruitment = Countries.city(v.origin.code, &rng) }

        var controls = v.controls.map(control)
        if rng.chance(permille: 30) { controls.append("Other") }
        c.controls = HTCDSCodes.ordered(controls, by: HTCDSCodes.methodsOfControl)

        var types: [String] = []
        for kind in v.kinds {
            switch kind {
            case .sexual: types.append("SexualExploitation")
            case .labour: types.append(v.age < 15 && rng.chance(permille: 600) ? "ChildLabour" : "ForcedLabour")
            case .domestic: types.append("Servitude")
            case .marriage: types.append("ForcedMarriage")
            case .begging: types.append("ForcedBegging")
            case .criminal: types.append("Other")
            case .other:
                types.append(rng.pick([("Other", 20), ("OrganRemoval", 1), ("Surrogacy", 1), ("ForcedAdoption", 1), ("ForcedMilitaryByNonStateActors", 1)]))
            }
        }
        c.exploitation = HTCDSCodes.ordered(types, by: HTCDSCodes.typeOfExploitation)
        if let sector = v.sector {
            var industries = [industry(sector)]
            if rng.chance(permille: 100) {
                industries.append(rng.pick(["G_WholesaleAndRetailTradeRepairOfMotorVehicles", "H_TransportationAndStorage", "S_OtherServiceActivities"]))
            }
            c.industries = HTCDSCodes.ordered(industries, by: HTCDSCodes.forcedLabourIndustry)
        }
        if v.kinds.contains(.sexual) {
            var sexTypes = [rng.pick([("Prostitution", 70), ("Pornography", 10), ("RemoteInteractiveServices", 10), ("PrivateSexualServices", 10)])]
            if rng.chance(permille: 150) { sexTypes.append(rng.pick(HTCDSCodes.typeOfSexExploitation)) }
            c.sexTypes = HTCDSCodes.ordered(sexTypes, by: HTCDSCodes.typeOfSexExploitation)
        }
        if rng.chance(permille: 600) { c.locationOfExploitation = Countries.city(v.exploitationCountry, &rng) }

        c.status = rng.pick([("Active", 35), ("FollowUp", 25), ("Closed", 30), ("ClosedReferred", 10)])
        if rng.chance(permille: 550) {
            c.referringOrg = rng.pick(Invented.organisations)
            c.incomingDate = v.identified.iso
            if rng.chance(permille: 500) { c.referringWorker = rng.pick(Invented.caseWorkers) }
            c.incomingReason = rng.pick([("AdditionalServicesRequired", 6), ("MigrationOrChangeOfLocation", 2), ("Other", 2)])
            if rng.chance(permille: 600) { c.incomingDetails = details(incomingDetails, &rng) }
        }
        if c.status == "ClosedReferred" {
            c.referredOrg = rng.pick(Invented.organisations)
            if rng.chance(permille: 500) { c.referredWorker = rng.pick(Invented.caseWorkers) }
            c.outgoingReason = rng.pick([("AdditionalServicesRequired", 5), ("MigrationOrChangeOfLocation", 3), ("Other", 2)])
            c.outgoingDate = v.identified.adding(days: 10 + rng.below(300)).iso
            if rng.chance(permille: 500) { c.outgoingDetails = rng.pick(outgoingDetails) }
        }
        if c.status == "Closed" || c.status == "ClosedReferred" { c.closureReason = rng.pick(closureReasons) }
        return c
    }
}

enum HTCDSTemplate {
    enum Version { case v1, v2 }

    /// The two header rows of the HTCDS v2 Excel template saved as CSV, byte for byte
    /// (CRLF ends, a leading unnamed column, a blank system name where
    /// cas_ReasonForOutgoingReferral belongs, the "TraffickinStatus" typo, and labels
    /// 13–17 in a different order from their system names).
    static let header =
        ",cas_CaseOwner,prs_Salutation,prs_FirstName,prs_SecondName,con_Consent,prs_Birthdate,prs_Gender,prs_Citizenship,prs_Title,prs_Email,prs_HomePhone,prs_MobilePhone,prs_MailingCity,prs_MailingCountry,prs_MailingState,prs_MailingStreet,prs_MailingPostalCode,vic_TraffickingStatus,vic_TraffickinStatusDecisionMakingOrg,vic_MethodOfRecruitment,vic_LocationOfRecruitment,vic_MethodsOfControl,vic_TypeOfExploitation,vic_ForcedLabourIndustry,vic_TypeOfSexExploitation,vic_LocationOfExploitation,cas_Status,cas_ReferringOrganisation,cas_IncomingReferralDate,cas_ReferringPrimaryCaseWorker,cas_ReasonForIncomingReferral,cas_IncomingReferralDetails,cas_ReferredOrganisation,cas_ReferredPrimaryCaseWorker,,cas_OutgoingReferralDate,cas_OutgoingReferralDetails,cas_ReasonForCaseClosure\r\n"
        + ",Case Owner,Salutation,First Name,Second Name,Consent,Birthdate,Gender,Citizenship,Title,Email,Home Phone,Mobile Phone,Mailing Street,Mailing City,Mailing State/Province,Mailing Zip/Postal Code,Mailing Country,Trafficking Status,Trafficking Status Decision Making Organization,Method of Recruitment,Location of Recruitment,Methods of Control,Type of Exploitation,Forced Labour Industry,Type of Sex Exploitation,Location of Exploitation,Status,Referring Organisation,Incoming Referral Date,Referring Primary Case Worker,Reason for Incoming Referral,Incoming Referral Details,Referred Organisation,Referred Primary Case Worker,Reason for Outgoing Referral,Outgoing Referral Date,Outgoing Referral Details,Reason for Case Closure\r\n"

    static let columns = 39

    /// Salesforce multi-select export: `;` between codes. Real exports carry stray
    /// trailing spaces from hand-maintained picklists, so a few codes keep one.
    static func codes(_ list: [String], _ rng: inout SplitMix64) -> String {
        guard !list.isEmpty else { return "" }
        var items = list
        if rng.chance(permille: 40) { items[rng.below(items.count)] += " " }
        return items.joined(separator: ";")
    }

    static func row(_ c: HTCDSCase, version: Version, _ rng: inout SplitMix64) -> [String] {
        let v2 = version == .v2
        // Values follow the system names in row 1 (what an import maps by), not the labels in row 2.
        let cells = [
            "",  // the template's unnamed first column stays empty
            c.caseOwner, c.salutation, c.first, c.second, c.consent ? "TRUE" : "FALSE", c.birthdate,
            codes(c.gender.isEmpty ? [] : [c.gender], &rng), c.citizenship.joined(separator: ";"), c.title,
            c.email, c.homePhone, c.mobilePhone,
            c.city, c.country, c.state, c.street, c.postalCode,
            v2 ? codes([c.traffickingStatus], &rng) : "", v2 ? c.decisionMakingOrg : "",
            codes(c.recruitment, &rng), c.locationOfRecruitment, codes(c.controls, &rng), codes(c.exploitation, &rng),
            // A single-select picklist in the template, though the XLSForm makes it select_multiple.
            codes(Array(c.industries.prefix(1)), &rng), codes(c.sexTypes, &rng), c.locationOfExploitation,
            codes([c.status], &rng), c.referringOrg, c.incomingDate, c.referringWorker, c.incomingReason,
            c.incomingDetails, c.referredOrg, c.referredWorker,
            c.outgoingReason,  // the column whose system name is blank: cas_ReasonForOutgoingReferral
            c.outgoingDate, c.outgoingDetails, c.closureReason,
        ]
        precondition(cells.count == columns)
        return cells
    }

    static func render(records count: Int, seed: UInt64, version: Version) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = header
        for _ in 0..<count {
            let v = Victims.draw(&rng, origins: Victims.standardOrigins)
            let c = HTCDSMapping.make(v, &rng)
            // Excel writes CRLF between records and a bare LF inside a quoted cell.
            out += row(c, version: version, &rng).map(Synth.field).joined(separator: ",") + "\r\n"
        }
        return Bytes.utf8(out)
    }
}

/// ODK/KoBo submissions of the HTCDS v2 XLSForm (form id htcds_xlsform): one instance
/// document per file, as Enketo (KoBoToolbox) posts them.
enum XFormSubmissions {
    static let formID = "htcds_xlsform"
    static let formVersion = "vSmt4GQA3C9uBMLPEVfgND"

    static let incomingReasonFreeText = ["needs shelter", "moved from another region", "legal advice", "medical follow-up"]

    static func hex(_ value: UInt64, digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// An RFC 4122 version-4 UUID made from the seeded stream.
    static func uuid(_ rng: inout SplitMix64) -> String {
        let a = rng.next(), b = rng.next()
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let h = hex(hi, digits: 16), l = hex(lo, digits: 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }

    /// xsd:dateTime with milliseconds and the device's UTC offset, as ODK records start/end.
    static func timestamp(_ day: Day, minuteOfDay: Int, millis: Int, offset: String) -> String {
        let seconds = minuteOfDay * 60 + millis / 1000
        let hh = seconds / 3600, mm = seconds / 60 % 60, ss = seconds % 60
        return day.iso + "T" + pad(hh, 2) + ":" + pad(mm, 2) + ":" + pad(ss, 2) + "." + pad(millis % 1000, 3) + offset
    }

    /// Empty answers stay as empty elements. Text escapes only `&`, `<` and `>`, as
    /// Enketo's serializer does, so quotes appear literally.
    static func element(_ name: String, _ value: String) -> String {
        guard !value.isEmpty else { return "<\(name)/>" }
        var text = ""
        for ch in value {
            switch ch {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            default: text.append(ch)
            }
        }
        return "<\(name)>\(text)</\(name)>"
    }

    static func document(_ c: HTCDSCase, _ rng: inout SplitMix64) -> String {
        let offset = rng.pick(["+03:00", "+07:00", "+08:00", "+01:00", "+00:00", "-05:00", "+05:45", "+02:00"])
        let startMinute = 8 * 60 + rng.below(10 * 60)
        let startMillis = rng.below(60_000)
        let endMinute = startMinute + 4 + rng.below(36)
        let endMillis = rng.below(60_000)
        var incomingReason = c.incomingReason
        // The XLSForm asks for this as free text (the standard has a picklist): most
        // enumerators type the code, some type words.
        if !incomingReason.isEmpty && rng.chance(permille: 300) { incomingReason = rng.pick(incomingReasonFreeText) }
        let instanceID = "uuid:" + uuid(&rng)

        // select_multiple answers: choice names separated by single spaces.
        let fields: [(String, String)] = [
            ("start", timestamp(c.identified, minuteOfDay: startMinute, millis: startMillis, offset: offset)),
            ("end", timestamp(c.identified, minuteOfDay: endMinute, millis: endMillis, offset: offset)),
            ("con_Consent", c.consent ? "TRUE" : "FALSE"),
            ("prs_Salutation", c.salutation), ("prs_First_Name", c.first), ("prs_Second_Name", c.second),
            ("prs_Birthdate", c.birthdate), ("prs_Gender", c.gender),
            // select_one in the XLSForm: one country only, though the standard allows several.
            ("prs_Citizenship", c.citizenship.first ?? ""),
            ("prs_Title", c.title), ("prs_Email", c.email), ("prs_HomePhone", c.homePhone), ("prs_MobilePhone", c.mobilePhone),
            ("prs_MailingCity", c.city), ("prs_MailingCountry", c.country), ("prs_MailingState", c.state),
            ("prs_MailingStreet", c.street), ("prs_MailingPostalCode", c.postalCode),
            ("vic_MethodOfRecruitment", c.recruitment.joined(separator: " ")),
            ("vic_LocationOfRecruitment", c.locationOfRecruitment),
            ("vic_TraffickingStatus", c.traffickingStatus),
            ("vic_TraffickingStatusDecisionMakingOrg", c.decisionMakingOrg),
            ("vic_Methods_of_Control", c.controls.joined(separator: " ")),
            ("vic_TypeOfExploitation", c.exploitation.joined(separator: " ")),
            ("vic_ForcedLabourIndustry", c.industries.joined(separator: " ")),
            ("vic_TypeOfSexExploitation", c.sexTypes.joined(separator: " ")),
            ("vic_LocationOfExploitation", c.locationOfExploitation),
            ("cas_Status", c.status),
            ("cas_ReferringOrganisation", c.referringOrg), ("cas_IncomingReferralDate", c.incomingDate),
            ("cas_ReferringPrimaryCaseWorker", c.referringWorker),
            ("cas_ReasonForIncomingReferral", incomingReason), ("cas_IncomingReferralDetails", c.incomingDetails),
            ("__version__", formVersion),
        ]
        var s = "<data xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\" id=\"\(formID)\" version=\"\(formVersion)\">"
        for (name, value) in fields { s += element(name, value) }
        s += "<meta>" + element("instanceID", instanceID) + "</meta></data>"
        return s
    }

    static func render(records count: Int, seed: UInt64) -> [(name: String, bytes: [UInt8])] {
        var rng = SplitMix64(seed: seed)
        var docs: [(Day, String)] = []
        docs.reserveCapacity(count)
        for _ in 0..<count {
            let v = Victims.draw(&rng, origins: Victims.standardOrigins)
            let c = HTCDSMapping.make(v, &rng)
            docs.append((c.identified, document(c, &rng)))
        }
        // Files are numbered in submission order; the generation index breaks ties.
        docs = docs.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        return docs.enumerated().map { i, d in ("submission-" + pad(i + 1, 4) + ".xml", Bytes.utf8(d.1)) }
    }
}
