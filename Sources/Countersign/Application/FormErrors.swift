import Web

/// The template values of a form's errors, the same on every page: `errors.Field` beside each
/// field (tied to it with `aria-describedby="Field-error"`), and a summary at the top
/// (`error-summary` partial) that lists them as links to their fields and takes the focus, so a
/// screen-reader or keyboard user lands on what went wrong.
enum FormErrors {
    /// `order`: the fields in page order, so the summary lists them as the page shows them.
    static func values(_ errors: [String: String], order: [String], summary: String? = nil) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = ["errors": .context(errors.mapValues { .string($0) })]
        let listed = order.compactMap { field in errors[field].map { (field, $0) } }
            + errors.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let text = summary ?? (errors.isEmpty ? nil : "Please correct the following:") {
            values["errorSummary"] = .string(text)
        }
        // One error that is the summary itself: saying it twice more helps nobody.
        let list = listed.count == 1 && listed[0].1 == summary ? [] : listed
        values["errorList"] = .list(list.map { ["field": .string($0.0), "message": .string($0.1)] })
        values["hasErrorList"] = .bool(!list.isEmpty)
        return values
    }
}
