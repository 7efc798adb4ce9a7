/// Random seeds for the checks. The range is wide (18 digits either side of zero) so a stale
/// copy can never match by luck, and it keeps clear of Int64's edges, which are tested elsewhere.
enum SeedValues {
    static func fresh(avoiding used: Int64...) -> Int64 {
        var value: Int64
        repeat {
            value = .random(in: -999_999_999_999_999_999...999_999_999_999_999_999)
        } while value == 0 || used.contains(value)
        return value
    }
}
