"""What a person's series of tests means: noise, the recovery signal, lead–lag, safety prompts.

Pure Python and numpy on plain inputs (weekly points, scores read from the store); no Textual, no
MediaPipe. Sits above `scoring` and `store`, below the services, the charts and the clinician report.
"""
