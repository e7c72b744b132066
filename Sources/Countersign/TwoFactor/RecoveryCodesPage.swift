import Web

/// The page that shows a new set of recovery codes: once, printable, never stored in a form.
enum RecoveryCodesPage {
    static func render(codes: [String], justEnabled: Bool, context: RequestContext) throws -> Response {
        var response = try context.services.pages.page("recovery-codes", title: "Your recovery codes", [
            "codes": .list(codes.map { .string($0) }),
            "count": .string(String(codes.count)),
            "justEnabled": .bool(justEnabled),
        ], context: context)
        // The codes are secrets: no cache, no back-button copy.
        response.headers.append((name: "Cache-Control", value: "no-store, private"))
        return response
    }
}
