#ifndef HTDX_CLIBXML2_SHIM_H
#define HTDX_CLIBXML2_SHIM_H
// xmlversion.h turns LIBXML_ICU_ENABLED on, and encoding.h then includes ICU's headers, which
// clash with Foundation's copy: any Swift file that also imports Foundation fails to compile
// ('UErrorCode' has different definitions in different modules). So take xmlversion.h first,
// switch ICU off, and only then the headers that look at it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include <libxml/dict.h>

// Helpers for XMLRecordReader. They exist because Swift cannot define a variadic C function, and
// cannot touch libxml2's thread-local error globals (they are macros over accessor functions).

/// A generic error handler that prints nothing: libxml2's default one writes to stderr, and its
/// messages can quote bytes of the document.
static void htdx_xml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/// The calling thread's libxml2 error handlers, saved so they can be put back.
typedef struct {
    xmlGenericErrorFunc generic;
    void *genericContext;
    xmlStructuredErrorFunc structured;
    void *structuredContext;
} htdx_xml_error_handlers;

/// Routes every libxml2 error raised on this thread, including those raised without a parser
/// context, to `structured` with `context`, and silences the generic (stderr) printer.
/// Returns the previous handlers for `htdx_xml_restore_errors`.
static inline htdx_xml_error_handlers htdx_xml_route_errors(void *context, xmlStructuredErrorFunc structured) {
    htdx_xml_error_handlers saved;
    saved.generic = *__xmlGenericError();
    saved.genericContext = *__xmlGenericErrorContext();
    saved.structured = *__xmlStructuredError();
    saved.structuredContext = *__xmlStructuredErrorContext();
    xmlSetGenericErrorFunc(context, htdx_xml_ignore_generic_error);
    xmlSetStructuredErrorFunc(context, structured);
    return saved;
}

static inline void htdx_xml_restore_errors(htdx_xml_error_handlers saved) {
    xmlSetGenericErrorFunc(saved.genericContext, saved.generic);
    xmlSetStructuredErrorFunc(saved.structuredContext, saved.structured);
}

/// An external entity loader that loads nothing. `xmlSetExternalEntityLoader(NULL)` would crash on
/// the next load, so "no loader" has to be a function.
static xmlParserInputPtr htdx_xml_deny_entity_loader(const char *url, const char *id, xmlParserCtxtPtr context) {
    (void)url;
    (void)id;
    (void)context;
    return NULL;
}

/// Installs the deny-all loader unless it is already the process's loader. Returns 1 if it had to
/// install it (something else, such as Foundation's XMLParser, had set another one).
static inline int htdx_xml_install_deny_loader(void) {
    if (xmlGetExternalEntityLoader() == htdx_xml_deny_entity_loader) return 0;
    xmlSetExternalEntityLoader(htdx_xml_deny_entity_loader);
    return 1;
}

static inline int htdx_xml_deny_loader_installed(void) {
    return xmlGetExternalEntityLoader() == htdx_xml_deny_entity_loader;
}

#endif
