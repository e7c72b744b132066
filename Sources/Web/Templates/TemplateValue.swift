/// What a template can show. Kept deliberately small: no closures, no formatting, no logic — a
/// template only places values the handler prepared.
public enum TemplateValue: Sendable, Equatable {
    /// Text; always HTML-escaped in HTML templates, whatever the tag.
    case string(String)
    case bool(Bool)
    case list([TemplateValue])
    case context([String: TemplateValue])
    /// Trusted, already-rendered HTML (a page body placed into the layout). Only this kind is
    /// written unescaped, and only by a `{{{triple}}}` tag.
    case html(String)

    /// Whether a `{{#section}}` shows: true, a non-empty list, a non-empty text, any context.
    var isTruthy: Bool {
        switch self {
        case .string(let text), .html(let text): !text.isEmpty
        case .bool(let value): value
        case .list(let items): !items.isEmpty
        case .context: true
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) {
        self = .list(elements)
    }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .context(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
