/// Request header fields as an ordered multi-map whose names compare case-insensitively (ASCII),
/// as HTTP requires. The transport converts CGI names (`HTTP_COOKIE`) to plain ones (`Cookie`)
/// before they get here, so handlers never see CGI spelling.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Field = (name: String, value: String)

    private var fields: [Field]

    public init() {
        fields = []
    }

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// Appends a field; an existing field of the same name is kept (a multi-map, not a dictionary).
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field of that name by one field.
    public mutating func set(name: String, value: String) {
        remove(name: name)
        fields.append((name: name, value: value))
    }

    public mutating func remove(name: String) {
        fields.removeAll { ASCII.caseInsensitiveEquals($0.name, name) }
    }

    /// The first value of the field, or nil when absent.
    public subscript(name: String) -> String? {
        fields.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    /// Every value of the field, in the order received.
    public func values(for name: String) -> [String] {
        fields.filter { ASCII.caseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        self[name] != nil
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}
