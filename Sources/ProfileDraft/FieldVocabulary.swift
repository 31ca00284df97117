import Ingest
import Recode

/// How exports name the canonical fields, in English, French, Spanish and Portuguese, besides
/// the standard's own names and labels. Each phrase carries its language for the draft's comments.
enum FieldVocabulary {
    struct Phrase: Sendable {
        var language: String
        var text: String
        /// The folded words of ``text``, stop words removed.
        var words: [String]
        var compact: String
    }

    /// Canonical field → the phrases that name it.
    static let phrases: [String: [Phrase]] = {
        var table: [String: [Phrase]] = [:]
        func add(_ field: String, _ language: String, _ texts: [String]) {
            for t in texts { table[field, default: []].append(phrase(language, t)) }
        }
        for (field, byLanguage) in spoken {
            // In a fixed order, so that a tie between languages (`sexo`) is always told the same way.
            for (language, texts) in byLanguage.sorted(by: { $0.key < $1.key }) { add(field, language, texts) }
        }
        // The standard's names and labels, and htdx's ext_ names, match as themselves.
        for field in HTCDS.fields where !field.isDeprecated {
            add(field.name, "HTCDS", [field.name, field.label])
        }
        for ext in ExtensionField.allCases { add(ext.rawValue, "htdx", [ext.rawValue]) }
        return table
    }()

    static func phrase(_ language: String, _ text: String) -> Phrase {
        let words = significant(TextFold.words(text))
        return Phrase(language: language, text: text, words: words, compact: TextFold.compact(text))
    }

    /// Words without the articles and prepositions that carry no meaning in a header.
    static func significant(_ words: [String]) -> [String] {
        let kept = words.filter { !stopWords.contains($0) }
        return kept.isEmpty ? words : kept
    }

    static let stopWords: Set<String> = [
        "de", "d", "du", "des", "la", "le", "les", "l", "au", "aux", "en", "et",
        "of", "the", "to", "and", "at", "by", "a", "an", "in",
        "el", "los", "las", "del", "y", "por", "para", "con",
        "da", "do", "das", "dos", "e", "o", "os", "as", "no", "na", "em", "com",
    ]

    /// The spoken names: field → language → phrases.
    private static let spoken: [String: [String: [String]]] = [
        "prs_Gender": [
            "en": ["gender", "sex"], "fr": ["sexe", "genre"], "es": ["sexo", "género"], "pt": ["sexo", "gênero", "género"],
        ],
        "prs_Birthdate": [
            "en": ["birth date", "date of birth", "dob", "birthdate", "birthday"],
            "fr": ["date de naissance", "né le", "naissance", "ddn"],
            "es": ["fecha de nacimiento", "nacimiento", "fecha nac"],
            "pt": ["data de nascimento", "nascimento", "data nasc"],
        ],
        "prs_Citizenship": [
            "en": ["citizenship", "nationality", "country of origin", "origin country"],
            "fr": ["nationalité", "citoyenneté", "pays d'origine", "pays de nationalité"],
            "es": ["nacionalidad", "ciudadanía", "país de origen"],
            "pt": ["nacionalidade", "cidadania", "país de origem"],
        ],
        "ext_CountryOfExploitation": [
            "en": ["country of exploitation", "exploitation country", "destination country", "country of destination"],
            "fr": ["pays d'exploitation", "pays de destination", "lieu d'exploitation pays"],
            "es": ["país de explotación", "país de destino"],
            "pt": ["país de exploração", "país de destino"],
        ],
        "prs_MailingCountry": [
            "en": ["country of residence", "residence country"],
            "fr": ["pays de résidence"], "es": ["país de residencia"], "pt": ["país de residência"],
        ],
        "ext_IdentificationDate": [
            "en": ["identification date", "date identified", "date of identification", "registration date", "intake date", "date registered"],
            "fr": ["date d'identification", "date identification", "date d'enregistrement", "date d'accueil", "identifié le"],
            "es": ["fecha de identificación", "fecha de registro", "fecha identificación"],
            "pt": ["data de identificação", "data de registo", "data de registro"],
        ],
        "ext_ReportedAge": [
            "en": ["age", "reported age", "age in years"], "fr": ["âge", "âge déclaré", "age ans"],
            "es": ["edad", "edad declarada"], "pt": ["idade", "idade declarada"],
        ],
        "vic_TypeOfExploitation": [
            "en": ["type of exploitation", "exploitation type", "exploitation types", "exploitation", "form of exploitation"],
            "fr": ["type d'exploitation", "types d'exploitation", "forme d'exploitation", "exploitation"],
            "es": ["tipo de explotación", "tipos de explotación", "forma de explotación", "explotación"],
            "pt": ["tipo de exploração", "tipos de exploração", "forma de exploração", "exploração"],
        ],
        "vic_ForcedLabourIndustry": [
            "en": ["forced labour industry", "forced labor industry", "labour sector", "labor sector", "industry", "sector", "economic sector"],
            "fr": ["secteur d'activité", "secteur", "secteur du travail forcé", "industrie", "secteur économique"],
            "es": ["sector", "sector de trabajo forzoso", "industria", "sector económico", "rubro"],
            "pt": ["setor", "sector", "setor de trabalho forçado", "indústria", "setor econômico"],
        ],
        "vic_MethodsOfControl": [
            "en": ["methods of control", "means of control", "control methods", "control"],
            "fr": ["moyens de contrôle", "méthodes de contrôle", "moyens de coercition", "contrôle", "coercition"],
            "es": ["medios de control", "métodos de control", "control", "coerción"],
            "pt": ["meios de controle", "métodos de controle", "meios de controlo", "controle", "coerção"],
        ],
        "vic_RelationshipToTrafficker": [
            "en": ["relationship to trafficker", "relation to trafficker", "recruiter relation", "relationship with recruiter", "relationship"],
            "fr": ["relation avec le trafiquant", "lien avec le trafiquant", "relation avec le recruteur", "lien avec le recruteur", "lien trafiquant", "relation"],
            "es": ["relación con el tratante", "relación con el reclutador", "vínculo con el tratante", "relación"],
            "pt": ["relação com o traficante", "relação com o aliciador", "vínculo com o traficante", "relação"],
        ],
        "vic_MethodOfRecruitment": [
            "en": ["method of recruitment", "recruitment method", "recruitment", "how recruited"],
            "fr": ["mode de recrutement", "méthode de recrutement", "moyen de recrutement", "recrutement"],
            "es": ["método de reclutamiento", "forma de reclutamiento", "captación", "reclutamiento"],
            "pt": ["método de recrutamento", "forma de aliciamento", "aliciamento", "recrutamento"],
        ],
        "vic_TypeOfSexExploitation": [
            "en": ["type of sex exploitation", "sexual exploitation type"],
            "fr": ["type d'exploitation sexuelle"], "es": ["tipo de explotación sexual"], "pt": ["tipo de exploração sexual"],
        ],
        "vic_TraffickingStatus": [
            "en": ["trafficking status", "victim status", "status of victim"],
            "fr": ["statut de victime", "statut de la victime", "statut traite"],
            "es": ["condición de víctima", "estatus de víctima", "situación de trata"],
            "pt": ["condição de vítima", "estatuto de vítima", "status de vítima"],
        ],
        "con_Consent": [
            "en": ["consent", "consent to share", "data sharing consent"],
            "fr": ["consentement", "consentement partage", "accord"],
            "es": ["consentimiento", "consentimiento informado"],
            "pt": ["consentimento", "consentimento informado"],
        ],
        "cas_Status": [
            "en": ["case status", "status"], "fr": ["statut du dossier", "état du dossier", "statut"],
            "es": ["estado del caso", "estado"], "pt": ["estado do caso", "situação do caso", "status do caso"],
        ],
        "cas_IncomingReferralDate": [
            "en": ["referral date", "date referred"], "fr": ["date d'orientation", "date de référencement"],
            "es": ["fecha de derivación", "fecha de referencia"], "pt": ["data de encaminhamento"],
        ],
    ]
}
