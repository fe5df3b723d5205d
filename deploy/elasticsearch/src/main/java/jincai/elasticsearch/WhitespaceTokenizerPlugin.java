package jincai.elasticsearch;

import java.util.List;

import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The "whitespace" tokenizer. In the Elasticsearch distribution it comes from the analysis-common module,
 * which is not published to Maven Central; the index mappings use it, so this runner provides the same one
 * and the mappings stay valid on any real cluster.
 */
public class WhitespaceTokenizerPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new));
    }
}
