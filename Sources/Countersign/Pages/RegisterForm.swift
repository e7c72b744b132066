import Phone
import Web

/// The registration form of the ASP.NET Core Identity tutorial: its fields, its validation, and
/// how it is re-rendered (values kept, passwords never).
struct RegisterForm {
    var firstName = ""
    var lastName = ""
    var email = ""
    var phoneNumber = ""
    var password = ""
    var confirmPassword = ""

    static let maxNameLength = 100

    init() {}

    init(_ form: Form) {
        firstName = form.value("FirstName")?.trimmingSpaces ?? ""
        lastName = form.value("LastName")?.trimmingSpaces ?? ""
        email = form.value("Email")?.trimmingSpaces ?? ""
        phoneNumber = form.value("PhoneNumber")?.trimmingSpaces ?? ""
        password = form.value("Password") ?? ""
        confirmPassword = form.value("ConfirmPassword") ?? ""
    }

    struct Validated {
        let phone: PhoneNumber
    }

    /// Messages beside the fields, keyed by field name; empty when the form is valid.
    func validate(services: Services) -> (errors: [String: String], validated: Validated?) {
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["FirstName"] = "The First Name field is required." }
        else if let problem = Self.problem(withName: firstName, label: "First Name") { errors["FirstName"] = problem }
        if let problem = Self.problem(withName: lastName, label: "Last Name") { errors["LastName"] = problem }
        if let problem = EmailAddress.problem(with: email) { errors["Email"] = problem }
        var phone: PhoneNumber?
        if phoneNumber.isEmpty {
            errors["PhoneNumber"] = "The Phone Number field is required."
        } else {
            do { phone = try services.settings.phone.parser.parse(phoneNumber) } catch { errors["PhoneNumber"] = error.message }
        }
        if password.isEmpty {
            errors["Password"] = "The Password field is required."
        } else if let problem = services.passwordPolicy.problem(with: password, userInputs: [email, firstName, lastName]) {
            errors["Password"] = problem
        }
        if confirmPassword != password { errors["ConfirmPassword"] = "The password and confirmation password do not match." }
        guard errors.isEmpty, let phone else { return (errors, nil) }
        return (errors, Validated(phone: phone))
    }

    /// Names end up in emails and on pages: no control characters (NUL, escapes, tabs) and no
    /// line breaks of any kind (CONTRACT §3).
    static func problem(withName name: String, label: String) -> String? {
        if name.count > maxNameLength { return "The \(label) field must be at most \(maxNameLength) characters." }
        let breaksLines = name.unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
        return breaksLines ? "The \(label) field must not contain control characters or line breaks." : nil
    }

    func templateValues(errors: [String: String]) -> [String: TemplateValue] {
        [
            "values": [
                "FirstName": .string(firstName), "LastName": .string(lastName),
                "Email": .string(email), "PhoneNumber": .string(phoneNumber),
            ],
            "errors": .context(errors.mapValues { .string($0) }),
            "hasErrors": .bool(!errors.isEmpty),
        ]
    }
}
