import Foundation

/// What an endpoint answered to one request, reduced to what the checks look at.
struct Reply: Sendable {
    let status: Int
    /// The `X-Served-By` header: which instance answered (nil when the server does not say).
    let servedBy: String?
    let contentType: String?
    let location: String?
    let body: String

    /// The seed, when the body is one decimal integer (surrounding whitespace forgiven).
    var seed: Int64? { Int64(body.trimmingCharacters(in: .whitespacesAndNewlines)) }

    var isSuccess: Bool { (200..<300).contains(status) }

    /// Load balancers and default web servers answer with HTML pages; the seed-server never does.
    var looksLikeHTML: Bool {
        contentType?.lowercased().contains("html") == true
            || body.range(of: "<html", options: .caseInsensitive) != nil
    }

    /// The body as it can stand in one table cell: one line, at most 60 characters, quoted.
    var bodyExcerpt: String {
        let oneLine = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        let cut = oneLine.count > 60 ? String(oneLine.prefix(57)) + "..." : oneLine
        return "\"\(cut)\""
    }

    /// "200 \"42\" from seed-a" — the short form used in details.
    var summary: String {
        var text = "\(status) \(bodyExcerpt)"
        if let servedBy { text += " from \(servedBy)" }
        return text
    }
}
