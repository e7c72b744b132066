import Storage
import Web

/// GET `/PersonalData` [auth]: what is stored about the user, the download and the deletion.
enum PersonalDataPage {
    static let title = "Personal data"

    static func get(_ context: RequestContext) throws -> Response {
        try render(error: nil, status: 200, context: context)
    }

    /// People's words for the `AspNetUsers` columns (the download keeps the column names).
    static let labels = [
        "Id": "Account id", "UserName": "User name", "Email": "Email", "EmailConfirmed": "Email confirmed",
        "PhoneNumber": "Phone number", "PhoneNumberConfirmed": "Phone number verified", "TwoFactorEnabled": "Two-factor sign-in",
        "LockoutEnd": "Locked until", "LockoutEnabled": "Lockout after failed sign-ins", "AccessFailedCount": "Failed sign-ins since the last success",
        "FirstName": "First name", "LastName": "Last name",
    ]

    static func display(_ value: String?) -> String {
        switch value {
        case nil: "—"
        case "true": "yes"
        case "false": "no"
        case let text?: text
        }
    }

    static func render(error: String?, status: Int, context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        let export = try PersonalDataExport(user: user, services: context.services, now: context.now)
        var values: [String: TemplateValue] = [
            "columns": .list(export.columns.map { ["name": .string(labels[$0.0] ?? $0.0), "value": .string(display($0.1))] }),
            "sessions": .list(export.sessions.map {
                ["started": .string(SecurityNotice.format($0.createdAt)), "lastUsed": .string(SecurityNotice.format($0.lastSeenAt)),
                 "clientAddress": .string($0.clientAddress ?? "unknown"),
                 "current": .bool($0.idHash == context.signIn?.sessionIdHash)]
            }),
            "eventCount": .string(String(export.events.count)),
            "recoveryCodesLeft": .string(String(export.recoveryCodesLeft)),
        ]
        values.merge(FormErrors.values(error.map { ["CurrentPassword": $0] } ?? [:], order: ["CurrentPassword"])) { $1 }
        return try context.services.pages.page("personal-data", title: title, values, status: status, context: context)
    }
}
