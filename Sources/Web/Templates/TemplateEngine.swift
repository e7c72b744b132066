import FoundationEssentials

/// A small, strict, Mustache-like template engine for the pages and emails a site owner may
/// restyle (`templates.dir`).
///
/// Every template is read and parsed once, when the engine is made (at worker start and by
/// `check-config`), so a broken template stops start-up with `FILE:LINE: message` instead of
/// failing one request later. `NAME.html` files are HTML templates addressed as `NAME`;
/// `NAME.txt` files are plain-text templates (email bodies), addressed as `NAME` through
/// `renderText`. A partial `{{> footer}}` is a template of the same kind from the same folder.
///
/// In HTML templates every value is escaped (`& < > " '`), so values are safe in element content
/// and quoted attributes. `{{{name}}}` writes a value unescaped only when it is `.html` — trusted
/// markup the app rendered itself; a `.string` in triple braces is still escaped, so a template
/// edit can never turn user input into markup. A missing value renders as nothing.
public struct TemplateEngine: Sendable {
    private let html: [String: Template]
    private let text: [String: Template]

    /// Loads every `*.html` and `*.txt` file in `directory` (not its subfolders).
    public init(directory: String) throws(TemplateError) {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw TemplateError(file: directory, line: nil, message: "cannot list the template folder")
        }
        var html: [String: String] = [:]
        var text: [String: String] = [:]
        var files: [String: String] = [:]
        for entry in entries {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            let isHTML = entry.hasSuffix(".html")
            guard isHTML || entry.hasSuffix(".txt") else { continue }
            let name = String(entry.dropLast(isHTML ? 5 : 4))
            guard TemplateParser.isPartialName(name) else {
                throw TemplateError(file: path, line: nil, message: "template names are letters, digits, _ and -")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemplateError(file: path, line: nil, message: "cannot read the file")
            }
            guard let source = String(validating: Array(data), as: UTF8.self) else {
                throw TemplateError(file: path, line: nil, message: "the file is not UTF-8")
            }
            if isHTML { html[name] = source } else { text[name] = source }
            files[name + (isHTML ? ".html" : ".txt")] = path
        }
        try self.init(html: html, text: text, fileName: { name, ext in files[name + ext] ?? name + ext })
    }

    /// Templates given in memory, by name (for tests and for built-in defaults).
    public init(templates: [String: String], textTemplates: [String: String] = [:]) throws(TemplateError) {
        try self.init(html: templates, text: textTemplates, fileName: { name, ext in name + ext })
    }

    private init(html: [String: String], text: [String: String],
                 fileName: (String, String) -> String) throws(TemplateError) {
        self.html = try Self.parseAll(html, kind: .html, fileName: { fileName($0, ".html") })
        self.text = try Self.parseAll(text, kind: .text, fileName: { fileName($0, ".txt") })
    }

    private static func parseAll(_ sources: [String: String], kind: Template.Kind,
                                 fileName: (String) -> String) throws(TemplateError) -> [String: Template] {
        var templates: [String: Template] = [:]
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            let file = fileName(name)
            templates[name] = Template(file: file, kind: kind,
                                       nodes: try TemplateParser(file: file, source: source).parse())
        }
        for (_, template) in templates.sorted(by: { $0.key < $1.key }) {
            try checkPartials(of: template, in: templates)
        }
        return templates
    }

    private static func checkPartials(of template: Template, in templates: [String: Template]) throws(TemplateError) {
        for reference in template.partialReferences where templates[reference.name] == nil {
            throw TemplateError(file: template.file, line: reference.line, message: "no partial named \(reference.name)")
        }
    }

    /// The names of the HTML templates.
    public var names: [String] { html.keys.sorted() }

    /// The names of the plain-text templates.
    public var textNames: [String] { text.keys.sorted() }

    /// Renders the HTML template `name`.
    public func render(_ name: String, _ context: [String: TemplateValue]) throws(TemplateError) -> String {
        guard let template = html[name] else {
            throw TemplateError(file: name + ".html", line: nil, message: "no template named \(name)")
        }
        return try render(template, context, partials: html)
    }

    /// Renders the plain-text template `name` (nothing escaped).
    public func renderText(_ name: String, _ context: [String: TemplateValue]) throws(TemplateError) -> String {
        guard let template = text[name] else {
            throw TemplateError(file: name + ".txt", line: nil, message: "no template named \(name)")
        }
        return try render(template, context, partials: text)
    }

    /// Parses and renders HTML template text on the spot, with this engine's HTML templates as
    /// partials. For tests and one-off strings; pages should use named templates parsed once.
    public func render(source: String, _ context: [String: TemplateValue] = [:]) throws(TemplateError) -> String {
        let template = Template(file: "<source>", kind: .html,
                                nodes: try TemplateParser(file: "<source>", source: source).parse())
        try Self.checkPartials(of: template, in: html)
        return try render(template, context, partials: html)
    }

    private func render(_ template: Template, _ context: [String: TemplateValue],
                        partials: [String: Template]) throws(TemplateError) -> String {
        var stack: [TemplateValue] = [.context(context)]
        var out = ""
        try template.render(stack: &stack, partials: partials, into: &out)
        return out
    }
}
