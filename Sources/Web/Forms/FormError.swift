/// Why a form body or query string was refused. Every case is the client's fault: 400.
public enum FormError: Error, Sendable, Equatable, HTTPErrorConvertible, CustomStringConvertible {
    /// A `%` not followed by two hexadecimal digits.
    case badEscape
    /// The decoded bytes of a name or value are not UTF-8.
    case invalidUTF8
    /// More than `FormDecoder.maxFields` fields.
    case tooManyFields
    /// A field of the route's form given more than once.
    case repeatedField(String)
    /// `=value`: a field needs a name.
    case emptyName

    public var description: String {
        switch self {
        case .badEscape: "malformed percent escape"
        case .invalidUTF8: "text that is not UTF-8"
        case .tooManyFields: "more than \(FormDecoder.maxFields) fields"
        case .repeatedField(let name): "field \(name) given more than once"
        case .emptyName: "a field without a name"
        }
    }

    public var httpError: HTTPError {
        .badRequest("The form could not be read: \(description).")
    }
}
