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

    /// Names are shown in emails sent to any address typed at registration: a line break or a
    /// control character would let a "name" carry a paragraph of text (phishing) into our own
    /// confirmation email, and direction overrides would let it disguise itself. Refused: C0 and
    /// C1 controls (tab and newline included), the line and paragraph separators, and the bidi
    /// embedding, override and isolate controls. Joiners, which some scripts need, are kept.
    static func problem(withName name: String, label: String) -> String? {
        if name.count > maxNameLength { return "The \(label) field must be at most \(maxNameLength) characters." }
        if hasControlCharacters(name) { return "The \(label) field cannot contain line breaks or control characters." }
        return nil
    }

    static func hasControlCharacters(_ name: String) -> Bool {
        name.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: return true
            default: return (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            }
        }
    }

    func templateValues(errors: [String: String]) -> [String: TemplateValue] {
        [
            "values": [
                "FirstName": .string(firstName), "LastName": .string(lastName),
                "Email": .string(email), "PhoneNumber": .string(phoneNumber),
            ],
            "hasErrors": .bool(!errors.isEmpty),
        ].merging(FormErrors.values(errors, order: ["FirstName", "LastName", "Email", "PhoneNumber", "Password", "ConfirmPassword"],
                                    summary: errors.isEmpty ? nil : "Please correct the fields marked below.")) { $1 }
    }
}
