"""Frame sources, the face landmarker and the model file: the only code touching cv2 and mediapipe."""
