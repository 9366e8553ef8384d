# The normalization algorithm of the W3C RDF Data Cube Vocabulary (section 10): the integrity
# constraints are stated on the normalized graph. Phase 1: the types and component properties
# the abbreviated forms imply; phase 2: values attached to datasets and slices pushed down to
# their observations.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb: <http://purl.org/linked-data/cube#>

INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o } ;
INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] } ;
INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p } ;

INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
    ?obs qb:dataSet ?dataset .
} ;
INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
    ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
    ?slice ?comp ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp .
    ?comp a qb:DimensionProperty .
    ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
    ?slice ?comp ?value ; qb:observation ?obs .
}
