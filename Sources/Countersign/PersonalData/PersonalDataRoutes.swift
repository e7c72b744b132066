import Web

/// The personal-data routes (CONTRACT.md §3), all `[auth]`.
enum PersonalDataRoutes {
    static func add(to router: inout Router<Route>) {
        let access = Route.Access.signedIn(returnTo: "/PersonalData")
        router.add("/PersonalData", methods: ["GET"], handler: Route(access: .signedIn(returnTo: nil), handle: PersonalDataPage.get))
        router.add("/DownloadPersonalData", methods: ["POST"], handler: Route(access: access, handle: DownloadPersonalData.post))
        router.add("/DeletePersonalData", methods: ["POST"], handler: Route(access: access, handle: DeletePersonalData.post))
    }
}
