import HotlineCore

extension CaseDeskError: CaseClosedSignal {
    public var isCaseClosed: Bool {
        if case .caseClosed = self { return true }
        return false
    }
}
