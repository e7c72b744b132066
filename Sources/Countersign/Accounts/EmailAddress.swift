/// Email addresses as accounts use them: a pragmatic validity check and ASP.NET Core Identity's
/// normalization, so a database can move between the two.
enum EmailAddress {
    static let maxLength = 256

    /// One `@` with something on both sides, a dotted domain without empty labels, no spaces or
    /// control characters, at most 256 characters. Deliverability is proven by the confirmation
    /// link, not by a regular expression.
    static func problem(with address: String) -> String? {
        if address.isEmpty { return "The Email field is required." }
        if address.count > maxLength { return "The Email field must be at most \(maxLength) characters." }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let badCharacter = address.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f || "<>()[],;:\\\"".unicodeScalars.contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !badCharacter else {
            return "The Email field is not a valid e-mail address."
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            return "The Email field is not a valid e-mail address."
        }
        return nil
    }

    /// `NormalizedEmail`: upper case as .NET's `ToUpperInvariant` does it — the simple case
    /// mapping of UnicodeData.txt, one scalar to one scalar, with no context (so `ß` stays `ß`,
    /// where Swift's `uppercased()` would make it `SS`, and `ᾀ` becomes `ᾈ`, not `ἈΙ`).
    static func normalize(_ address: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in address.unicodeScalars {
            result.append(simpleUppercase(scalar))
        }
        return String(result)
    }

    /// Swift exposes only the full mappings. Where the full uppercase is one scalar it is the
    /// simple one; where it expands, the simple uppercase is the titlecase when that is one scalar
    /// (Greek with ypogegrammeni: U+1F80 → U+1F88, U+1FB3 → U+1FBC), else there is none (`ß`,
    /// `ŉ`, `ﬁ`). Checked against ICU's `u_toupper` for every scalar.
    private static func simpleUppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        if upper.count == 1, let single = upper.first { return single }
        let title = scalar.properties.titlecaseMapping.unicodeScalars
        if title.count == 1, let single = title.first { return single }
        return scalar
    }
}
