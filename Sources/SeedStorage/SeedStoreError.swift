/// The store could not answer. Never a client's fault: the HTTP layer turns it into a 503.
public struct SeedStoreError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
