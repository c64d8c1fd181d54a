#include "s3_xml.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using rekmock::objects::xml_element_text;
using rekmock::objects::xml_escape;

TEST_SUITE("s3_xml") {
    TEST_CASE("an element's text, references resolved") {
        const std::string error = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The key &quot;a&amp;b&lt;c&gt;&apos;&quot; &#233;&#x41;</Message>
<Key>a&amp;b</Key></Error>)";
        CHECK(xml_element_text(error, "Code") == std::string("NoSuchKey"));
        CHECK(xml_element_text(error, "Message") == std::string("The key \"a&b<c>'\" \xc3\xa9"
                                                                "A"));
        CHECK(xml_element_text(error, "Key") == std::string("a&b"));
        CHECK(xml_element_text(error, "RequestId") == std::nullopt);
    }

    TEST_CASE("attributes, empty elements and longer names sharing a prefix") {
        const std::string result =
            R"(<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
            R"(<UploadIdMarker/><UploadId kind="x">abc+/=</UploadId><Empty></Empty>)"
            R"(</InitiateMultipartUploadResult>)";
        CHECK(xml_element_text(result, "UploadId") == std::string("abc+/="));
        CHECK(xml_element_text(result, "UploadIdMarker") == std::string());
        CHECK(xml_element_text(result, "Empty") == std::string());
        CHECK(xml_element_text(result, "Upload") == std::nullopt);
    }

    TEST_CASE("an unknown or unterminated reference stays text, a truncated document gives none") {
        CHECK(xml_element_text("<A>x &nbsp; &#xZZ; & y</A>", "A") ==
              std::string("x &nbsp; &#xZZ; & y"));
        CHECK(xml_element_text("<A>never closed", "A") == std::nullopt);
        CHECK(xml_element_text("<A", "A") == std::nullopt);
    }

    TEST_CASE("escaping reverses reading") {
        const std::string text = "\"etag\" & <'x'>";
        CHECK(xml_escape(text) == "&quot;etag&quot; &amp; &lt;&apos;x&apos;&gt;");
        CHECK(xml_element_text("<E>" + xml_escape(text) + "</E>", "E") == text);
    }
}
