/// A dotted name as written in a tag: `user.email` is `["user", "email"]`; `.` (the current item
/// of a section) is the empty path.
struct TemplatePath: Sendable, Equatable {
    let segments: [String]
}

/// A parsed template: text and tags, sections holding their own children.
indirect enum TemplateNode: Sendable {
    case text(String)
    case variable(TemplatePath, raw: Bool)
    case section(TemplatePath, inverted: Bool, children: [TemplateNode])
    case partial(name: String, line: Int)
}
