// TodoUIEmbedPlugin: a build-tool plugin that runs TodoUIEmbedder over Sources/TodoUI/Assets,
// so the UI files stay real files and every build of `todod` carries them compiled in.

import Foundation
import PackagePlugin

@main
struct TodoUIEmbedPlugin: BuildToolPlugin {
    /// One command: embed every file of `<target>/Assets` into `EmbeddedAssets+Generated.swift`.
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let assets = target.directoryURL.appending(path: "Assets")
        let files = (try? FileManager.default.contentsOfDirectory(at: assets, includingPropertiesForKeys: nil)) ?? []
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets+Generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) TodoUI assets",
                executable: try context.tool(named: "TodoUIEmbedder").url,
                arguments: [assets.path, output.path],
                inputFiles: files.filter { !$0.lastPathComponent.hasPrefix(".") },
                outputFiles: [output]
            )
        ]
    }
}
