import Storage
import Web

/// GET `/IsEmailAvailable?Email=`: jQuery-unobtrusive remote validation. JSON `true`, or a JSON
/// string saying why not. Counted against `email.lookups_per_ip_per_hour`.
enum IsEmailAvailable {
    static func get(_ context: RequestContext) throws -> Response {
        try LookupLimit.consume(context)
        let email = context.field("Email")?.trimmingSpaces ?? ""
        if let problem = EmailAddress.problem(with: email) {
            return .json(JSONText.string(problem))
        }
        if try context.services.storage.users.user(normalizedEmail: EmailAddress.normalize(email)) != nil {
            return .json(JSONText.string("Email '\(email)' is already taken."))
        }
        return .json("true")
    }
}
