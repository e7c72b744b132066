import Foundation
import Testing
@testable import Web

@Suite struct TemplateEngineTests {
    let engine: TemplateEngine

    init() throws {
        engine = try TemplateEngine(templates: [
            "field": "<input name=\"{{name}}\" value=\"{{value}}\">",
            "layout": "<title>{{title}}</title><main>{{{content}}}</main>",
            "tree": "<li>{{label}}{{#children}}<ul>{{> tree}}</ul>{{/children}}</li>",
            "loop": "{{> loop}}",
        ])
    }

    @Test func escapesTheFiveCharacters() throws {
        #expect(try engine.render(source: "{{x}}", ["x": "<a href='x'>\"Tom & Jerry\"</a>"]) ==
            "&lt;a href=&#39;x&#39;&gt;&quot;Tom &amp; Jerry&quot;&lt;/a&gt;")
    }

    @Test func attributeValuesCannotBreakOut() throws {
        let html = try engine.render("field", ["name": "Email", "value": "\" autofocus onfocus=\"alert(1)"])
        #expect(html == "<input name=\"Email\" value=\"&quot; autofocus onfocus=&quot;alert(1)\">")
        let single = try engine.render(source: "<a title='{{t}}'>", ["t": "' onclick='x"])
        #expect(single == "<a title='&#39; onclick=&#39;x'>")
    }

    @Test func tripleBracesAreRawOnlyForHTMLValues() throws {
        #expect(try engine.render(source: "{{{x}}}", ["x": .html("<b>ok</b>")]) == "<b>ok</b>")
        #expect(try engine.render(source: "{{{x}}}", ["x": .string("<b>no</b>")]) == "&lt;b&gt;no&lt;/b&gt;")
        #expect(try engine.render(source: "{{x}}", ["x": .html("<b>no</b>")]) == "&lt;b&gt;no&lt;/b&gt;")
        #expect(try engine.render(source: "{{{ x }}}", ["x": .html("<i>")]) == "<i>")
    }

    @Test func layoutTakesPageContentAsHTML() throws {
        let page = try engine.render(source: "<p>{{who}}</p>", ["who": "<me>"])
        #expect(try engine.render("layout", ["title": "A & B", "content": .html(page)]) ==
            "<title>A &amp; B</title><main><p>&lt;me&gt;</p></main>")
    }

    @Test func missingValuesRenderEmpty() throws {
        #expect(try engine.render(source: "[{{nope}}][{{{nope}}}][{{a.b.c}}]", ["a": ["b": "x"]]) == "[][][]")
    }

    @Test func otherKindsOfValues() throws {
        #expect(try engine.render(source: "{{t}} {{f}} [{{l}}] [{{c}}]", ["t": true, "f": false, "l": ["x"], "c": ["k": "v"]]) ==
            "true false [] []")
    }

    @Test func dottedNames() throws {
        let context: [String: TemplateValue] = ["user": ["email": "a@b.c", "phone": ["verified": true]]]
        #expect(try engine.render(source: "{{user.email}} {{#user.phone.verified}}yes{{/user.phone.verified}}", context) ==
            "a@b.c yes")
        #expect(try engine.render(source: "{{user.email.more}}", context) == "")
    }

    @Test func sectionsByValueKind() throws {
        let source = "{{#v}}[{{.}}]{{/v}}"
        #expect(try engine.render(source: source, ["v": true]) == "[]")
        #expect(try engine.render(source: source, ["v": false]) == "")
        #expect(try engine.render(source: source, ["v": "text"]) == "[text]")
        #expect(try engine.render(source: source, ["v": ""]) == "")
        #expect(try engine.render(source: source, ["v": ["a", "<b>"]]) == "[a][&lt;b&gt;]")
        #expect(try engine.render(source: source, ["v": []]) == "")
        #expect(try engine.render(source: source, [:]) == "")
        #expect(try engine.render(source: source, ["v": .html("")]) == "")
    }

    @Test func listItemsAreContextsAndOuterNamesStayVisible() throws {
        let context: [String: TemplateValue] = [
            "field": "Email",
            "errors": [["message": "Required"], ["message": "Too long", "field": "Inner"]],
        ]
        #expect(try engine.render(source: "{{#errors}}<li>{{field}}: {{message}}</li>{{/errors}}", context) ==
            "<li>Email: Required</li><li>Inner: Too long</li>")
    }

    @Test func nestedContextSection() throws {
        #expect(try engine.render(source: "{{#user}}{{name}}{{/user}}", ["user": ["name": "Ann"]]) == "Ann")
        #expect(try engine.render(source: "{{#user}}x{{/user}}", ["user": [:]]) == "x")
    }

    @Test func invertedSections() throws {
        let source = "{{^v}}none{{/v}}"
        for falsy: TemplateValue in [false, "", [], .html("")] {
            #expect(try engine.render(source: source, ["v": falsy]) == "none")
        }
        #expect(try engine.render(source: source, [:]) == "none")
        for truthy: TemplateValue in [true, "x", ["x"], ["k": "v"]] {
            #expect(try engine.render(source: source, ["v": truthy]) == "")
        }
    }

    @Test func commentsVanish() throws {
        #expect(try engine.render(source: "a{{! a comment with {braces} and\nnewlines }}b", [:]) == "ab")
    }

    @Test func whitespaceInsideTagsIsIgnored() throws {
        #expect(try engine.render(source: "{{ x }}{{# s }}y{{/ s }}{{^ n }}z{{/n}}", ["x": "1", "s": true]) == "1yz")
    }

    @Test func partialsShareTheContext() throws {
        #expect(try engine.render(source: "<form>{{> field}}</form>", ["name": "Email", "value": "a"]) ==
            "<form><input name=\"Email\" value=\"a\"></form>")
    }

    @Test func recursivePartialsEndWithTheData() throws {
        let context: [String: TemplateValue] = ["label": "root", "children": [["label": "leaf", "children": []]]]
        #expect(try engine.render("tree", context) == "<li>root<ul><li>leaf</li></ul></li>")
    }

    @Test func aPartialIncludingItselfForeverIsAnError() {
        #expect(throws: TemplateError.self) { try engine.render("loop", [:]) }
    }

    @Test func unknownTemplateIsAnError() {
        #expect(throws: TemplateError(file: "nope.html", line: nil, message: "no template named nope")) {
            try engine.render("nope", [:])
        }
    }

    @Test(arguments: [
        ("a\n{{#s}}\nb", 2, "{{#s}} is never closed"),
        ("{{^s}}", 1, "{{^s}} is never closed"),
        ("{{#a}}\n{{#b}}\n{{/a}}", 3, "{{/a}} does not close {{#b}} opened on line 2"),
        ("x\n\n{{/a}}", 3, "{{/a}} closes a section that was never opened"),
        ("{{a", 1, "{{ is never closed with }}"),
        ("a\n{{{b}}", 2, "{{{ is never closed with }}}"),
        ("{{}}", 1, "empty tag {{}}"),
        ("{{ }}", 1, "empty tag {{}}"),
        ("\n{{a b}}", 2, "\"a b\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{a..b}}", 1, "\"a..b\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{.a}}", 1, "\".a\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{&a}}", 1, "\"&a\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{=<% %>=}}", 1, "\"=<% %>=\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{#}}", 1, "\"\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("{{> }}", 1, "\"\" is not a partial name (letters, digits, _ and -)"),
        ("{{> ../etc/passwd}}", 1, "\"../etc/passwd\" is not a partial name (letters, digits, _ and -)"),
        ("{{{{a}}}}", 1, "\"{a\" is not a name (dotted letters, digits, _ and -, or .)"),
        ("a\nb\n{{> missing}}", 3, "no partial named missing"),
        ("{{!\n\n}}\n{{#x}}", 4, "{{#x}} is never closed"),
    ])
    func parseErrorsCarryTheLine(source: String, line: Int, message: String) {
        #expect(throws: TemplateError(file: "<source>", line: line, message: message)) {
            try engine.render(source: source, [:])
        }
    }

    @Test func parseErrorsNameTheTemplate() {
        #expect(throws: TemplateError(file: "broken.html", line: 2, message: "{{#x}} is never closed")) {
            try TemplateEngine(templates: ["broken": "ok\n{{#x}}"])
        }
        #expect(throws: TemplateError(file: "page.html", line: 1, message: "no partial named header")) {
            try TemplateEngine(templates: ["page": "{{> header}}"])
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "{{#a}}", count: 100_000)
        #expect(throws: TemplateError(file: "<source>", line: 1, message: "sections nested more than 64 deep")) {
            try engine.render(source: deep, [:])
        }
        let ok = String(repeating: "{{#a}}", count: 64) + "x" + String(repeating: "{{/a}}", count: 64)
        #expect(try engine.render(source: ok, ["a": true]) == "x")
    }

    @Test func textTemplatesAreNotEscapedAndUseTextPartials() throws {
        let engine = try TemplateEngine(templates: ["sig": "<html>"],
                                        textTemplates: ["mail": "Hi {{name}} & {{{name}}}\n{{> sig}}", "sig": "-- {{app}}"])
        #expect(try engine.renderText("mail", ["name": "O'Neil <x>", "app": "A&B"]) == "Hi O'Neil <x> & O'Neil <x>\n-- A&B")
        #expect(throws: TemplateError.self) { try engine.renderText("nope", [:]) }
    }

    @Test func loadsADirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("layout.html", "<main>{{{content}}}</main>{{> footer}}")
        try dir.write("footer.html", "<footer>{{app}}</footer>")
        try dir.write("confirm.txt", "Confirm: {{link}}")
        try dir.write("notes.md", "{{#ignored")
        let engine = try TemplateEngine(directory: dir.path)
        #expect(engine.names == ["footer", "layout"])
        #expect(engine.textNames == ["confirm"])
        #expect(try engine.render("layout", ["content": .html("<p>x</p>"), "app": "C&S"]) ==
            "<main><p>x</p></main><footer>C&amp;S</footer>")
        #expect(try engine.renderText("confirm", ["link": "https://x/?a=1&b=2"]) == "Confirm: https://x/?a=1&b=2")
    }

    @Test func directoryErrorsCarryThePath() throws {
        let dir = try TemporaryDirectory()
        try dir.write("good.html", "fine")
        try dir.write("bad.html", "line 1\nline 2\n{{#form}}\n")
        #expect(throws: TemplateError(file: dir.path + "/bad.html", line: 3, message: "{{#form}} is never closed")) {
            try TemplateEngine(directory: dir.path)
        }
        let error = try #require(throws: TemplateError.self) { try TemplateEngine(directory: dir.path) }
        #expect(error.description == "\(dir.path)/bad.html:3: {{#form}} is never closed")
    }

    @Test func missingDirectoryAndBadFilesAreErrors() throws {
        #expect(throws: TemplateError.self) { try TemplateEngine(directory: "/nonexistent/templates") }
        let dir = try TemporaryDirectory()
        try Data([0x61, 0xFF]).write(to: URL(fileURLWithPath: dir.path + "/latin1.html"))
        #expect(throws: TemplateError(file: dir.path + "/latin1.html", line: nil, message: "the file is not UTF-8")) {
            try TemplateEngine(directory: dir.path)
        }
    }

    @Test func fuzzNoCrashNoHang() throws {
        var random = SplitMix64(seed: 0x5EED_C0DE)
        let pieces = ["{{", "}}", "{{{", "}}}", "{", "}", "#", "^", "/", ">", "!", "&", "=", ".", " ", "\n",
                      "a", "b", "a.b", "list", "html", "x", "tree", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}",
                      "{{> tree}}", "{{#list}}", "{{/list}}", "{{.}}", "{{{html}}}", "<", "\"", "é", "📱", "\u{0}"]
        let context: [String: TemplateValue] = [
            "a": true, "b": false, "x": "<q>", "html": .html("<i>"),
            "list": ["one", ["a": "inner", "list": []], .html("<h>")],
        ]
        var rendered = 0
        for _ in 0..<5_000 {
            var source = ""
            for _ in 0..<random.next(below: 40) {
                source += pieces[random.next(below: pieces.count)]
            }
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
            do {
                let output = try engine.render(source: source, context)
                rendered += 1
                #expect(!output.contains("<q"), "an escaped value came out raw")
            } catch {
                let line = try #require(error.line)
                #expect((1...lines).contains(line), "error line \(line) outside a \(lines)-line source")
                #expect(error.file == "<source>")
            }
        }
        #expect(rendered > 100, "the fuzzer should also reach templates that parse")
    }
}

/// A deterministic generator, so a fuzz failure can be replayed.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("webtests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
