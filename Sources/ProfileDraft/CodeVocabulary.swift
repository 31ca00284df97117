/// The words partners write for the HTCDS codes of the common lists, in English, French,
/// Spanish and Portuguese, besides the codes and labels themselves. Keys are folded by
/// ``TextFold/key(_:)`` when the table is built; every target is a code of its field (a test
/// checks it).
enum CodeVocabulary {
    /// Field → code → words.
    static let words: [String: [String: [String]]] = [
        "prs_Gender": [
            "Feminine": ["f", "female", "woman", "girl", "femme", "féminin", "feminin", "fille", "mujer", "femenino", "niña",
                         "mulher", "feminino", "menina", "w"],
            "Masculine": ["m", "male", "man", "boy", "homme", "masculin", "garçon", "h", "hombre", "masculino", "niño", "varón",
                          "homem", "menino"],
            "TransgenderFeminine": ["trans woman", "transgender woman", "femme trans", "femme transgenre", "mujer trans", "mulher trans"],
            "TransgenderMasculine": ["trans man", "transgender man", "homme trans", "homme transgenre", "hombre trans", "homem trans"],
            "NonConforming": ["non binary", "nonbinary", "non binaire", "no binario", "não binário", "nao binario", "gender non conforming"],
            "NonSpecifiedUnknown": ["x", "not specified", "unspecified", "non précisé", "non spécifié", "no especificado", "não especificado"],
        ],
        "vic_TypeOfExploitation": [
            "SexualExploitation": ["sexual", "sexual exploitation", "sex", "exploitation sexuelle", "sexuelle", "prostitution",
                                   "explotación sexual", "sexual comercial", "exploração sexual", "prostitución", "prostituição"],
            "ForcedLabour": ["labour", "labor", "forced labour", "forced labor", "labour exploitation", "travail forcé", "travail",
                             "exploitation par le travail", "exploitation économique", "trabajo forzoso", "trabajo forzado", "explotación laboral",
                             "trabalho forçado", "trabalho escravo", "exploração laboral", "exploração do trabalho"],
            "ForcedBegging": ["begging", "forced begging", "mendicité", "mendicité forcée", "mendicidad", "mendicidad forzada",
                              "mendicidade", "mendicidade forçada"],
            "ForcedMarriage": ["marriage", "forced marriage", "mariage", "mariage forcé", "matrimonio", "matrimonio forzado",
                               "matrimonio servil", "casamento", "casamento forçado"],
            "Servitude": ["domestic", "domestic servitude", "servitude", "servitude domestique", "travail domestique", "esclavage domestique",
                          "servidumbre", "servidumbre doméstica", "trabajo doméstico", "servidão", "servidão doméstica", "trabalho doméstico"],
            "ChildLabour": ["child labour", "child labor", "travail des enfants", "travail infantile", "trabajo infantil", "trabalho infantil"],
            "OrganRemoval": ["organ removal", "organs", "prélèvement d'organes", "trafic d'organes", "extracción de órganos", "tráfico de órganos",
                             "remoção de órgãos", "tráfico de órgãos"],
            "ForcedAdoption": ["forced adoption", "adoption forcée", "adoption illégale", "adopción forzada", "adopción ilegal", "adoção forçada", "adoção ilegal"],
            "ForcedMilitaryByNonStateActors": ["forced military", "child soldier", "enfant soldat", "recrutement armé", "niño soldado", "reclutamiento forzado", "criança soldado"],
            "Surrogacy": ["surrogacy", "gestation pour autrui", "gpa", "maternité de substitution", "gestación subrogada", "vientre de alquiler", "barriga de aluguel"],
            "Other": ["other", "criminal", "forced criminality", "autre", "autres", "criminalité forcée", "activités criminelles",
                      "otro", "otra", "otros", "actividades delictivas", "outro", "outra", "outros", "atividades criminosas"],
        ],
        "vic_RelationshipToTrafficker": [
            "Familial": ["family", "family member", "relative", "famille", "familial", "familiale", "membre de la famille", "parent",
                         "familia", "familiar", "pariente", "família", "parente"],
            "Acquainted": ["friend", "acquaintance", "acquainted", "intimate partner", "partner", "boyfriend", "girlfriend", "employer", "neighbour",
                           "ami", "amie", "connaissance", "partenaire", "partenaire intime", "conjoint", "petit ami", "employeur", "voisin",
                           "amigo", "amiga", "conocido", "pareja", "novio", "empleador", "patrón", "vecino",
                           "conhecido", "parceiro", "namorado", "empregador", "patrão", "vizinho"],
            "Unaquainted": ["stranger", "unacquainted", "étranger", "personne inconnue", "aucun lien", "extraño", "ningún vínculo",
                            "estranho", "nenhum vínculo"],
        ],
        "vic_MethodsOfControl": [
            "PhysicalThreats": ["threats", "menaces", "menaces physiques", "amenazas", "amenazas físicas", "ameaças", "ameaças físicas"],
            "ThreatsLawEnforcement": ["threat of deportation", "menace d'expulsion", "menace de dénonciation", "amenaza de deportación", "ameaça de deportação"],
            "ThreatensChildrenFamily": ["threats to family", "menaces envers la famille", "menaces contre la famille", "amenazas a la familia", "ameaças à família"],
            "DebtBondage": ["debt bondage", "debt", "servitude pour dettes", "dette", "dettes", "servidumbre por deudas", "deuda", "deudas",
                            "servidão por dívida", "dívida", "dívidas"],
            "FalsePromises": ["false promises", "fausses promesses", "tromperie", "falsas promesas", "engaño", "falsas promessas", "engano"],
            "PhysicalAbuse": ["violence", "physical violence", "violences", "violence physique", "violences physiques", "violencia", "violencia física",
                              "violência", "violência física"],
            "SexualAbuse": ["sexual abuse", "sexual violence", "abus sexuels", "violences sexuelles", "violence sexuelle", "abuso sexual", "violencia sexual",
                            "violência sexual"],
            "TakesEarnings": ["withheld wages", "salaire retenu", "salaire confisqué", "retenue sur salaire", "retención de salario", "salario retenido",
                              "retenção de salário", "salário retido"],
            "RestrictsFinancialAccess": ["no access to money", "pas d'accès à l'argent", "sin acceso al dinero", "sem acesso ao dinheiro"],
            "RestrictsMedicalCare": ["denied medical care", "soins refusés", "privation de soins", "atención médica negada", "cuidados médicos negados"],
            "WithholdsNecessities": ["food withheld", "privation de nourriture", "privation", "privación de comida", "privação de comida"],
            "PsychologicalAbuse": ["isolation", "isolement", "violence psychologique", "aislamiento", "violencia psicológica", "isolamento", "violência psicológica"],
            "PsychoactiveSubstance": ["drugs", "drogues", "drogue", "alcool", "drogas", "alcohol", "álcool"],
            "ExcessiveWorkingHours": ["excessive hours", "heures excessives", "horaires excessifs", "horas excesivas", "jornada excesiva",
                                      "horas excessivas", "jornada excessiva"],
            "WithholdsDocuments": ["confiscated documents", "documents confisqués", "papiers confisqués", "confiscation des documents",
                                   "confiscation des papiers", "retención de documentos", "documentos retenidos", "retenção de documentos",
                                   "documentos retidos"],
            "Other": ["other", "autre", "autres", "otro", "otros", "outro", "outros"],
        ],
        "vic_ForcedLabourIndustry": [
            "A_AgricultureForestryAndFishing": ["agriculture", "fishing", "farming", "forestry", "pêche", "agricole", "agricultura", "pesca",
                                                "ganadería", "pecuária", "silvicultura"],
            "B_MiningAndQuarrying": ["mining", "mines", "mine", "orpaillage", "minería", "minas", "mineração", "garimpo"],
            "C_Manufacturing": ["manufacturing", "factory", "industrie", "usine", "fabrication", "manufactura", "fábrica", "indústria", "industria"],
            "F_Construction": ["construction", "bâtiment", "btp", "construcción", "construção"],
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles": ["retail", "trade", "commerce", "vente", "comercio", "comércio"],
            "H_TransportationAndStorage": ["transport", "transportation", "transporte", "transports"],
            "I_AccommodationAndFoodServiceActivities": ["hospitality", "restaurant", "hotel", "hôtellerie", "restauration", "hostelería",
                                                        "hotelería", "hotelaria", "restaurante", "restaurantes"],
            "T_ActivitiesOfHouseholdsAsEmployers": ["domestic work", "domestic", "travail domestique", "domestique", "employé de maison",
                                                    "trabajo doméstico", "servicio doméstico", "trabalho doméstico", "empregada doméstica"],
            "S_OtherServiceActivities": ["services", "other services", "autres services", "otros servicios", "outros serviços"],
        ],
        "vic_MethodOfRecruitment": [
            "ThroughOnlineSocialNetworks": ["social media", "social networks", "réseaux sociaux", "redes sociales", "redes sociais"],
            "ThroughAnOnlineAdvertisement": ["online advertisement", "online ad", "internet", "annonce en ligne", "anuncio en línea", "anúncio online"],
            "ThroughANewspaperAdvert": ["newspaper", "journal", "annonce dans un journal", "periódico", "prensa", "jornal"],
            "ThroughATelevisionAdvert": ["television", "tv", "télévision", "televisión", "televisão"],
            "ThroughFamilyOrFamilyEvents": ["family", "famille", "par la famille", "familia", "família"],
            "ThroughFriendsOrSocialEvents": ["friends", "friend", "amis", "ami", "par des amis", "amigos", "amigo"],
            "AtWork": ["at work", "work", "au travail", "travail", "en el trabajo", "trabajo", "no trabalho", "trabalho"],
            "AtAnEducationalInstitution": ["school", "university", "école", "université", "escuela", "universidad", "escola", "universidade"],
            "AtAPlaceOfBusiness": ["place of business", "shop", "business", "commerce", "boutique", "negocio", "tienda", "loja", "comércio"],
            "Other": ["other", "autre", "otro", "outro"],
        ],
        "vic_TypeOfSexExploitation": [
            "Prostitution": ["prostitution", "prostitución", "prostituição"],
            "Pornography": ["pornography", "pornographie", "pornografía", "pornografia"],
            "RemoteInteractiveServices": ["webcam", "online sexual services", "services sexuels en ligne", "servicios sexuales en línea"],
            "PrivateSexualServices": ["private sexual services", "services sexuels privés", "servicios sexuales privados", "serviços sexuais privados"],
        ],
        "vic_TraffickingStatus": [
            "PossibleVictimOfTrafficking": ["possible", "presumed", "potential", "possible victim", "presumed victim", "potential victim",
                                            "victime présumée", "victime potentielle", "présumée", "víctima presunta", "posible víctima", "presunta",
                                            "vítima presumida", "possível vítima", "presumida"],
            "ActualVictimOfTrafficking": ["actual", "confirmed", "identified", "confirmed victim", "identified victim", "victime avérée", "victime identifiée",
                                          "victime confirmée", "avérée", "identifiée", "víctima confirmada", "víctima identificada", "confirmada",
                                          "vítima confirmada", "vítima identificada"],
            "NotAVictimOfTrafficking": ["not a victim", "no", "non victime", "pas une victime", "no víctima", "no es víctima", "não vítima", "não é vítima"],
        ],
        "cas_Status": [
            "Active": ["open", "active", "ouvert", "actif", "en cours", "abierto", "activo", "aberto", "ativo", "em curso"],
            "FollowUp": ["follow up", "suivi", "en suivi", "seguimiento", "acompanhamento"],
            "Closed": ["closed", "clos", "fermé", "clôturé", "cerrado", "fechado", "encerrado"],
            "ClosedReferred": ["referred", "closed referred", "orienté", "clos orienté", "référé", "derivado", "cerrado derivado", "encaminhado", "encerrado encaminhado"],
        ],
    ]

    /// Words for yes and no, as a boolean field (`con_Consent`) holds them: `TRUE` and `FALSE`.
    static let booleans: [String: [String]] = [
        "TRUE": ["true", "yes", "y", "1", "oui", "o", "vrai", "sí", "si", "s", "sim", "x"],
        "FALSE": ["false", "no", "n", "0", "non", "faux", "não", "nao"],
    ]

    /// Words that mean the value is not known; folded.
    static let missing: Set<String> = Set([
        "n/a", "na", "n.a.", "nd", "n.d.", "unknown", "not known", "none", "null", "nil", "-", "--", "?", "??",
        "inconnu", "inconnue", "non connu", "non renseigné", "ne sait pas", "nsp", "aucun", "aucune",
        "desconocido", "desconocida", "no sabe", "sin dato", "sin datos", "ns", "nr",
        "desconhecido", "desconhecida", "não sabe", "sem informação", "sem dados",
    ].map(missingKey))

    /// How a missing word is compared: folded words, or the trimmed text when it has no letters.
    static func missingKey(_ text: String) -> String {
        let key = TextFold.key(text)
        return key.isEmpty ? String(text.filter { !$0.isWhitespace }) : key
    }

    static func isMissing(_ text: String) -> Bool { missing.contains(missingKey(text)) }
}
