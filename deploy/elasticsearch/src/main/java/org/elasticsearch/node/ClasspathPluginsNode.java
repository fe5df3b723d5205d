package org.elasticsearch.node;

import java.util.Collection;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * A production Node whose plugins are classes on the classpath instead of directories under modules/.
 *
 * It lives in Elasticsearch's package because the hooks it needs (NodeConstruction, NodeServiceProvider) are
 * package-private. Unlike the test framework's MockNode it touches nothing of ESTestCase, whose static set-up
 * refuses to run as root and installs test-only machinery.
 */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                return new MockPluginsService(env.settings(), env, plugins);
            }
        }, true));
    }
}
