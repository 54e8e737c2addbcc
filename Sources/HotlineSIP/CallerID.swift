import Foundation

/// Who is calling, from the SIP headers.
public enum SIPCallerID {
    /// The caller's number as sent: the user part of `P-Asserted-Identity` when present (the
    /// network vouches for it), else of `From`. Withheld callers (`anonymous`, an empty user part)
    /// give `anonymous`, which matches no contact, as a withheld number on the phone line.
    public static func caller(fromUser: String, assertedIdentity: String?) -> String {
        if let assertedIdentity, let user = userPart(ofAddress: assertedIdentity), !user.isEmpty {
            return user
        }
        let user = fromUser.removingPercentEncoding ?? fromUser
        return user.isEmpty ? "anonymous" : user
    }

    /// The user part of a name-addr or addr-spec (`"Dana" <sip:+14085550100@pbx;user=phone>`,
    /// `<tel:+14085550100>`, `sip:dana@example.com`); `nil` when there is no SIP or tel URI.
    public static func userPart(ofAddress value: String) -> String? {
        var text = Substring(value)
        if let open = text.firstIndex(of: "<") {
            text = text[text.index(after: open)...]
            if let close = text.firstIndex(of: ">") { text = text[..<close] }
        }
        text = text.drop(while: { $0 == " " })
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("sips:") {
            rest = text.dropFirst(5)
        } else if lower.hasPrefix("sip:") {
            rest = text.dropFirst(4)
        } else if lower.hasPrefix("tel:") {
            let number = text.dropFirst(4).prefix(while: { $0 != ";" && $0 != ">" })
            return String(number)
        } else {
            return nil
        }
        guard let at = rest.firstIndex(of: "@") else { return nil }
        let user = rest[..<at].prefix(while: { $0 != ";" })
        return String(user).removingPercentEncoding ?? String(user)
    }
}
