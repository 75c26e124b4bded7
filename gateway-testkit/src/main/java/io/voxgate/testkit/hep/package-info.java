/** A HEP3 capture node for tests: receives what a gateway mirrors with {@code --hep-url} and decodes it on its own. */
package io.voxgate.testkit.hep;
