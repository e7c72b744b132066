/// One parsed template and how to write it out.
struct Template: Sendable {
    enum Kind: Sendable {
        /// Values are HTML-escaped; `{{{ }}}` writes only `.html` values unescaped.
        case html
        /// Plain text (email bodies): nothing is escaped.
        case text
    }

    static let maxPartialDepth = 32

    let file: String
    let kind: Kind
    let nodes: [TemplateNode]

    /// Renders with `stack` as the context stack (innermost last); partials come from `partials`.
    func render(stack: inout [TemplateValue], partials: [String: Template], depth: Int = 0,
                into out: inout String) throws(TemplateError) {
        try render(nodes, stack: &stack, partials: partials, depth: depth, into: &out)
    }

    private func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], partials: [String: Template],
                        depth: Int, into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .variable(let path, let raw):
                guard let value = Self.lookup(path, in: stack) else { continue }
                out += write(value, raw: raw)
            case .section(let path, let inverted, let children):
                let value = Self.lookup(path, in: stack)
                let truthy = value?.isTruthy ?? false
                if inverted {
                    if !truthy { try render(children, stack: &stack, partials: partials, depth: depth, into: &out) }
                    continue
                }
                guard let value, truthy else { continue }
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        defer { stack.removeLast() }
                        try render(children, stack: &stack, partials: partials, depth: depth, into: &out)
                    }
                case .bool:
                    try render(children, stack: &stack, partials: partials, depth: depth, into: &out)
                case .string, .html, .context:
                    stack.append(value)
                    defer { stack.removeLast() }
                    try render(children, stack: &stack, partials: partials, depth: depth, into: &out)
                }
            case .partial(let name, let line):
                guard let partial = partials[name] else {
                    throw TemplateError(file: file, line: line, message: "no partial named \(name)")
                }
                guard depth < Self.maxPartialDepth else {
                    throw TemplateError(file: file, line: line,
                                        message: "partials nested more than \(Self.maxPartialDepth) deep (does \(name) include itself?)")
                }
                try partial.render(stack: &stack, partials: partials, depth: depth + 1, into: &out)
            }
        }
    }

    private func write(_ value: TemplateValue, raw: Bool) -> String {
        switch (kind, value) {
        case (.text, .string(let text)), (.text, .html(let text)):
            text
        case (.html, .html(let html)) where raw:
            html
        case (.html, .string(let text)), (.html, .html(let text)):
            HTMLEscaping.escape(text)
        case (_, .bool(let flag)):
            flag ? "true" : "false"
        case (_, .list), (_, .context):
            ""
        }
    }

    /// Mustache lookup: the first name is searched from the innermost context outwards, the rest
    /// of a dotted name strictly inside what was found. Missing means nil (renders empty).
    static func lookup(_ path: TemplatePath, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = path.segments.first else { return stack.last }
        var found: TemplateValue?
        for case .context(let values) in stack.reversed() {
            if let value = values[first] {
                found = value
                break
            }
        }
        for segment in path.segments.dropFirst() {
            guard case .context(let values)? = found else { return nil }
            found = values[segment]
        }
        return found
    }

    /// The names of every partial this template includes, with the line of the first use.
    var partialReferences: [(name: String, line: Int)] {
        var references: [(name: String, line: Int)] = []
        var pending = nodes[...]
        var queue: [[TemplateNode]] = []
        while true {
            while let node = pending.popFirst() {
                switch node {
                case .partial(let name, let line): references.append((name, line))
                case .section(_, _, let children): queue.append(children)
                case .text, .variable: break
                }
            }
            guard let next = queue.popLast() else { break }
            pending = next[...]
        }
        return references
    }
}
