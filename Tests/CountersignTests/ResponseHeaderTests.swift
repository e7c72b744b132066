import Foundation
import Testing
import Web
@testable import Countersign

/// `X-Content-Type-Options: nosniff` on every answer whatever its type or status, and
/// `Clear-Site-Data` on sign-out.
@Suite struct ResponseHeaderTests {
    @Test func everyAnswerCarriesNosniff() throws {
        let app = try TestApp()
        let answers = [
            app.get("/Account/Login"),                                   // HTML
            app.get("/Account/Nowhere"),                                 // 404
            app.send("DELETE", "/Account/Login"),                        // 405
            app.get("/Account/Auth"),                                    // 401, no body
            app.get("/Account/IsEmailAvailable", query: "Email=a@example.com"),  // JSON
            app.get("/Account/Manage"),                                  // 303
            try app.post("/Account/Login", [("Email", "x@example.com")], token: .none),  // 400
        ]
        for response in answers {
            #expect(response.header("X-Content-Type-Options") == "nosniff", "status \(response.status)")
        }
        try app.signedInUser()
        #expect(app.get("/Account/Auth").header("X-Content-Type-Options") == "nosniff")
    }

    @Test func signOutClearsTheSitesCookies() throws {
        let app = try TestApp()
        try app.signedInUser()
        let response = try app.post("/Account/Logout", [], formPage: "/Account/Manage")
        #expect(response.status == 303)
        #expect(response.header("Clear-Site-Data") == "\"cookies\"")
    }
}
