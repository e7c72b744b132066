/// A decoded form or query string: every field in the order sent, names kept as sent.
///
/// Lookups compare names ASCII case-insensitively, as ASP.NET Core's model binding does, so
/// `email=` fills `Email` — and `Email=a&email=b` counts as the same field given twice.
public struct Form: Sendable {
    public typealias Field = (name: String, value: String)

    public let fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// Every value given for the name, in order; empty when absent.
    public func values(_ name: String) -> [String] {
        fields.filter { ASCII.caseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    /// The first value given for the name, or nil when absent.
    public func value(_ name: String) -> String? {
        fields.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    /// The one value of a field of the route's form, or nil when absent. A field given twice is
    /// a malformed request (400), except where the form means it: a checkbox followed by its
    /// hidden `false` (`RememberMe`), where `allowRepeats` takes the first value.
    public func single(_ name: String, allowRepeats: Bool = false) throws(FormError) -> String? {
        let all = values(name)
        if all.count > 1 && !allowRepeats {
            throw .repeatedField(name)
        }
        return all.first
    }

    /// Checks a whole form at once: none of `names` may be given twice, except those in `allowed`.
    public func rejectRepeats(of names: [String], except allowed: Set<String> = []) throws(FormError) {
        for name in names where !allowed.contains(name) {
            _ = try single(name)
        }
    }

    public var isEmpty: Bool { fields.isEmpty }
}
