import Recode

/// Columns that name, reach or locate a person, or hold notes that may: the draft keeps them out.
/// Judged by the header (in four languages) and by the values' shapes; never by quoting a value.
enum IdentifyingShapes {
    /// The reasons a draft gives, as ``FieldProposal/Disposition/ignore(_:)`` spells them.
    static let names = "names", phones = "phone numbers", emails = "e-mail addresses"
    static let addresses = "addresses", freeText = "free text", identifiers = "identifiers"

    /// Header words → reason. Matched word for word against the folded header.
    static let headerWords: [String: String] = {
        var table: [String: String] = [:]
        let groups: [(String, [String])] = [
            (names, ["nom", "prenom", "prenoms", "name", "names", "firstname", "lastname", "surname", "fullname",
                     "nombre", "nombres", "apellido", "apellidos", "nome", "sobrenome", "apelido", "alias",
                     "salutation", "civilite", "title"]),
            (phones, ["phone", "telephone", "tel", "mobile", "portable", "cell", "telefono", "celular", "telefone",
                      "telemovel", "whatsapp", "homephone", "mobilephone"]),
            (emails, ["email", "mail", "courriel", "correo", "mel"]),
            (addresses, ["address", "adresse", "direccion", "endereco", "morada", "street", "rue", "calle", "rua",
                         "domicile", "domicilio", "postal", "zip", "cp", "city", "ville", "ciudad", "cidade", "commune",
                         "municipio", "latitude", "longitude", "gps", "localidad"]),
            (freeText, ["notes", "note", "remarques", "remarque", "commentaire", "commentaires", "comment", "comments",
                        "observaciones", "observacion", "observacoes", "observacao", "narrative", "narratif", "recit",
                        "relato", "description", "descripcion", "descricao", "details", "detalles", "detalhes",
                        "resume", "summary", "resumen", "resumo", "historia", "historique"]),
            (identifiers, ["id", "ids", "identifiant", "identifier", "reference", "ref", "referencia", "numero", "num",
                           "no", "n", "dossier", "case", "caso", "expediente", "processo", "code", "codigo", "uuid",
                           "instanceid", "passport", "passeport", "pasaporte", "passaporte", "cni", "dni", "nif"]),
        ]
        for (reason, words) in groups { for w in words { table[w] = reason } }
        return table
    }()

    /// The reason the header's words give, if any: identifiers only when every word speaks of one
    /// (a "case status" is not an identifier), the others on any word.
    static func byHeader(_ header: String) -> String? {
        let words = FieldVocabulary.significant(TextFold.words(header))
        guard !words.isEmpty else { return nil }
        let reasons = words.compactMap { headerWords[$0] }
        if let strong = reasons.first(where: { $0 != identifiers }) {
            // "date of birth" has no such word; "nom du pays" would: a country or a date wins later.
            return strong
        }
        let idWords = words.filter { headerWords[$0] == identifiers }
        return idWords.count == words.count || idWords.contains(where: strongIdentifierWords.contains) ? identifiers : nil
    }

    /// Words that make a header an identifier's whatever else it says (`case_id`, `N° de référence`);
    /// the others (`case`, `code`) only when the header says nothing else.
    static let strongIdentifierWords: Set<String> = ["id", "ids", "identifiant", "identifier", "reference", "ref", "referencia",
                                                     "uuid", "instanceid", "numero", "num", "passport", "passeport", "pasaporte",
                                                     "passaporte", "dni", "nif", "cni"]

    /// Shape of the values alone: e-mails, phones, long free text, personal names.
    static func byValues(_ column: ColumnSummary, missing: Set<String>) -> String? {
        let values = column.values.filter { !missing.contains(TextFold.key($0.key)) }
        guard !values.isEmpty else { return nil }
        let records = Double(values.values.reduce(0, +))
        func share(_ test: (String) -> Bool) -> Double {
            Double(values.filter { test($0.key) }.values.reduce(0, +)) / records
        }
        if share(isEmail) >= 0.6 { return emails }
        if share(isPhone) >= 0.8 { return phones }
        let distinctRatio = Double(values.count) / records
        let meanWords = Double(values.keys.map { TextFold.words($0).count }.reduce(0, +)) / Double(values.count)
        if column.longest >= 80 || (meanWords >= 6 && distinctRatio >= 0.7) { return freeText }
        if share(isStreetAddress) >= 0.7 { return addresses }
        if distinctRatio >= 0.6 && values.count >= 5 && share(looksLikePersonalName) >= 0.8 { return names }
        return nil
    }

    /// Unique short values with digits: case numbers, record ids, UUIDs.
    static func isIdentifierColumn(_ column: ColumnSummary) -> Bool {
        guard column.filled >= 3, !column.values.isEmpty else { return false }
        let unique = column.isTruncated || column.values.count == column.filled
        guard unique, column.longest <= 40 else { return false }
        let withDigits = column.values.keys.filter { $0.contains(where: \.isNumber) && !$0.contains(" ") }.count
        return Double(withDigits) / Double(column.values.count) >= 0.9
    }

    static func isEmail(_ v: String) -> Bool {
        guard let at = v.firstIndex(of: "@"), at != v.startIndex else { return false }
        return v[v.index(after: at)...].contains(".") && !v.contains(" ")
    }

    static func isPhone(_ v: String) -> Bool {
        var digits = 0
        for c in v {
            if c.isASCII && c.isNumber { digits += 1 } else if !" +-().".contains(c) { return false }
        }
        // Dates have fewer digits and a slash or dot between day and month; phones have 7 or more.
        return digits >= 7 && !v.contains("/")
    }

    /// A number followed by words, or words followed by a number: `74 Chapel Walk`, `Rua das Flores 12`.
    static func isStreetAddress(_ v: String) -> Bool {
        let parts = v.split(separator: " ")
        guard parts.count >= 3 else { return false }
        let numeric = parts.filter { $0.first?.isNumber == true }.count
        return numeric >= 1 && numeric < parts.count && (parts.first?.first?.isNumber == true || parts.last?.first?.isNumber == true)
    }

    /// One to four capitalised words of letters: `Chinedu Owusu`, `Wilson, Emily`, `María José da Silva`.
    static func looksLikePersonalName(_ v: String) -> Bool {
        let parts = v.split(whereSeparator: { $0 == " " || $0 == "," }).filter { !particles.contains(String($0)) }
        guard (2...4).contains(parts.count) else { return false }
        return parts.allSatisfy { p in
            guard let f = p.first, f.isUppercase else { return false }
            return p.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "." }
        }
    }

    private static let particles: Set<String> = ["de", "da", "do", "dos", "das", "del", "la", "le", "van", "von", "y", "e", "bin", "ben"]

    /// Identifying HTCDS fields: a header naming one exactly is ignored rather than mapped.
    static func reason(forField name: String) -> String? {
        guard name != "prs_Birthdate", let what = DirectIdentifiers.fields[name] else { return nil }
        switch what {
        case "a name", "a salutation", "a title", "a case owner", "a case worker": return names
        case "an email address": return emails
        case "a phone number": return phones
        case "free text": return freeText
        case "an identity number", "a partner's record reference": return identifiers
        default: return addresses
        }
    }
}
