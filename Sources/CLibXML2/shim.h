#ifndef HTDX_CLIBXML2_SHIM_H
#define HTDX_CLIBXML2_SHIM_H
// Without this, any Swift file that also imports Foundation fails to compile:
// 'UErrorCode' has different definitions in different modules.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#endif
