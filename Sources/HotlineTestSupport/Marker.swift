public enum HotlineTestSupportMarker {}
