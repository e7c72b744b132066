import Foundation
import SQLiteStorage
import Storage
import Testing
import Web
@testable import Countersign

/// A failure that is not an HTTP error (here: the database losing its user table under a running
/// worker) gives the plain 500 page, shows nothing internal, and the worker keeps serving.
@Suite struct InternalErrorTests {
    static func breakUserTable(of app: TestApp) throws {
        let other = try SQLiteConnection(path: app.folder + "/countersign.db")
        try other.execute("ALTER TABLE AspNetUsers RENAME TO AspNetUsersGone")
    }

    static func expectPlain500(_ response: Response) {
        #expect(response.status == 500)
        #expect(response.text.contains("Something went wrong"))
        for secret in ["AspNetUsers", "SQLite", "sqlite", "no such table", "SELECT", "Error(", ".swift", "countersign.db"] {
            #expect(!response.text.contains(secret), "the 500 page shows \(secret)")
        }
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store")
    }

    @Test func aStorageFailureDuringRegistrationIsAPlain500() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Register")
        try Self.breakUserTable(of: app)
        Self.expectPlain500(try app.post("/Account/Register", TestApp.registration(email: "ada@example.com"), token: .given(token)))
        // What the page hides goes to the log, one line naming the request and the cause.
        #expect(app.logged.count == 1)
        #expect(app.logged.first?.contains("error: POST /Account/Register: ") == true)
        #expect(app.logged.first?.contains("no such table") == true)
    }

    @Test func aStorageFailureDuringSignInIsAPlain500AndTheWorkerGoesOn() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        try Self.breakUserTable(of: app)
        Self.expectPlain500(try app.post("/Account/Login", [("Email", "ada@example.com"), ("Password", "x-password-1")], token: .given(token)))
        Self.expectPlain500(app.get("/Account/IsEmailAvailable", query: "Email=ada%40example.com"))
        // Pages that need no user still render.
        #expect(app.get("/Account/Login").status == 200)
        #expect(app.get("/Account/Nope").status == 404)
    }

    /// A copy of the shipped templates without `registration-successful.html`.
    static func templatesMissingAPage() throws -> String {
        let folder = NSTemporaryDirectory() + "countersign-templates-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: TestApp.shippedTemplates, toPath: folder)
        try FileManager.default.removeItem(atPath: folder + "/registration-successful.html")
        return folder
    }

    @Test func aPageTemplateMissingAtRequestTimeIsAPlain500() throws {
        let folder = try Self.templatesMissingAPage()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let app: TestApp
        do {
            app = try TestApp(templates: folder)
        } catch {
            // Start-up refused the incomplete folder (see the test below): nothing to reach here.
            return
        }
        let response = app.get("/Account/RegistrationSuccessful")
        Self.expectPlain500(response)
        #expect(!response.text.contains("registration-successful"))
        #expect(!response.text.contains("no template named"))
        #expect(app.get("/Account/Login").status == 200)
    }

    @Test func startUpRefusesATemplatesFolderMissingAPage() throws {
        let folder = try Self.templatesMissingAPage()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: (any Error).self) { _ = try TestApp(templates: folder) }
    }
}
