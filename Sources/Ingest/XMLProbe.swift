import CLibXML2

/// The version of libxml2 this build links, for reports and bug hunts.
public var libxml2Version: String { LIBXML_DOTTED_VERSION }
