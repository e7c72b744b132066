import Web

/// GET `/RegistrationSuccessful`.
enum RegistrationSuccessfulPage {
    static func get(_ context: RequestContext) throws -> Response {
        try context.services.pages.page("registration-successful", title: "Registration successful", context: context)
    }
}
