/// Turns template text into nodes, refusing anything it does not understand.
///
/// Written so that no input can crash it or make it loop: the cursor only moves forward, sections
/// are kept on an explicit stack (no recursion per nesting level) and nesting is capped, so a
/// hostile or broken template is an error with a line number, never a stack overflow.
///
/// Tags: `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}`, `{{/name}}`, `{{> partial}}`,
/// `{{! comment}}`; whitespace inside the braces is ignored. Names are dotted paths of letters,
/// digits, `_` and `-`, or `.` for the current item. Delimiter changes and `{{& }}` are not
/// supported and are errors.
struct TemplateParser {
    static let maxNesting = 64

    let file: String
    private let bytes: [UInt8]

    init(file: String, source: String) {
        self.file = file
        bytes = Array(source.utf8)
    }

    private struct OpenSection {
        let path: TemplatePath
        let name: String
        let inverted: Bool
        let line: Int
        let siblings: [TemplateNode]
    }

    func parse() throws(TemplateError) -> [TemplateNode] {
        var open: [OpenSection] = []
        var nodes: [TemplateNode] = []
        var line = 1
        var textStart = 0
        var i = 0

        func flushText(upTo end: Int) {
            if end > textStart {
                nodes.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self)))
            }
        }

        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") else {
                if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                i += 1
                continue
            }
            flushText(upTo: i)
            let tagLine = line
            let triple = i + 2 < bytes.count && bytes[i + 2] == UInt8(ascii: "{")
            let contentStart = i + (triple ? 3 : 2)
            let closer = triple ? "}}}" : "}}"
            guard let contentEnd = find(closer, from: contentStart) else {
                throw error(tagLine, "\(triple ? "{{{" : "{{") is never closed with \(closer)")
            }
            let content = bytes[contentStart..<contentEnd]
            line += content.count { $0 == UInt8(ascii: "\n") }
            i = contentEnd + closer.utf8.count
            textStart = i

            if triple {
                nodes.append(.variable(try path(content, tagLine), raw: true))
                continue
            }
            let trimmed = trim(content)
            guard let sigil = trimmed.first else { throw error(tagLine, "empty tag {{}}") }
            let rest = trimmed.dropFirst()
            switch sigil {
            case UInt8(ascii: "!"):
                continue
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                guard open.count < Self.maxNesting else {
                    throw error(tagLine, "sections nested more than \(Self.maxNesting) deep")
                }
                let name = text(trim(rest))
                open.append(OpenSection(path: try path(rest, tagLine), name: name,
                                        inverted: sigil == UInt8(ascii: "^"), line: tagLine, siblings: nodes))
                nodes = []
            case UInt8(ascii: "/"):
                let name = text(trim(rest))
                guard let section = open.popLast() else {
                    throw error(tagLine, "{{/\(name)}} closes a section that was never opened")
                }
                guard section.name == name else {
                    throw error(tagLine, "{{/\(name)}} does not close {{\(section.inverted ? "^" : "#")\(section.name)}} opened on line \(section.line)")
                }
                let children = nodes
                nodes = section.siblings
                nodes.append(.section(section.path, inverted: section.inverted, children: children))
            case UInt8(ascii: ">"):
                let name = text(trim(rest))
                guard Self.isPartialName(name) else {
                    throw error(tagLine, "\"\(name)\" is not a partial name (letters, digits, _ and -)")
                }
                nodes.append(.partial(name: name, line: tagLine))
            default:
                nodes.append(.variable(try path(trimmed, tagLine), raw: false))
            }
        }
        flushText(upTo: bytes.count)
        if let unclosed = open.last {
            throw error(unclosed.line, "{{\(unclosed.inverted ? "^" : "#")\(unclosed.name)}} is never closed")
        }
        return nodes
    }

    static func isPartialName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isNameByte)
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private func path(_ raw: ArraySlice<UInt8>, _ line: Int) throws(TemplateError) -> TemplatePath {
        let name = text(trim(raw))
        if name == "." { return TemplatePath(segments: []) }
        let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isNameByte) }) else {
            throw error(line, "\"\(name)\" is not a name (dotted letters, digits, _ and -, or .)")
        }
        return TemplatePath(segments: segments)
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i..<i + pattern.count].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    private func trim(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = slice
        while let c = s.first, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { s = s.dropFirst() }
        while let c = s.last, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { s = s.dropLast() }
        return s
    }

    private func text(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice, as: UTF8.self)
    }

    private func error(_ line: Int, _ message: String) -> TemplateError {
        TemplateError(file: file, line: line, message: message)
    }
}
