package plots

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// svgDoc is what the tests read back from a rendered SVG: the text of its
// <text> elements and the style of each <path>.
type svgDoc struct {
	texts  []string
	styles []string
}

// parseSVG reads an SVG document strictly as XML.
func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	d := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return doc
		}
		if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "text":
				inText = true
			case "path":
				for _, a := range tok.Attr {
					if a.Name.Local == "style" {
						doc.styles = append(doc.styles, a.Value)
					}
				}
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				doc.texts = append(doc.texts, string(tok))
			}
		}
	}
}

// hasText reports whether some <text> element reads s.
func (d svgDoc) hasText(s string) bool {
	for _, t := range d.texts {
		if t == s {
			return true
		}
	}
	return false
}

// bandFills counts the translucent band fills (bands and their legend samples).
func (d svgDoc) bandFills() int {
	n := 0
	for _, s := range d.styles {
		if strings.Contains(s, "fill-opacity:0.25098") {
			n++
		}
	}
	return n
}
