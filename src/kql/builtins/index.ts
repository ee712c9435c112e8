// Importing this module registers every builtin family with the registry (side-effect imports, one per family).
import "./string.js";
import "./conversion.js";
import "./regex.js";
import "./encoding.js";
import "./parse.js";
import "./datetime.js";
import "./dynamic.js";
import "./ip.js";
import "./math.js";
import "./series-analysis.js";
import "./series-more.js";
import "./series-decompose.js";
import "./conditional.js";
import "./stats.js";
import "./units.js";
import "./timezone.js";
import "./misc.js";
import "./aggregates.js";
import "./sketches.js";
import "./punycode.js";
import "./compress.js";
import "./version.js";
import "./buildschema.js";
import "./useragent.js";

export * from "./registry.js";
