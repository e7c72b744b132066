import Web

/// POST `/DownloadPersonalData` [auth]: `PersonalData.json` as an attachment.
enum DownloadPersonalData {
    static func post(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        var response = Response.json(try PersonalDataExport(user: user, services: context.services, now: context.now).json)
        response.headers.append((name: "Content-Disposition", value: "attachment; filename=PersonalData.json"))
        return response
    }
}
